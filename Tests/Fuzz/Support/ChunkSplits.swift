// Shared by the harnesses that feed one input in random chunk splits
// (scripts/fuzz.sh compiles every file of Tests/Fuzz/Support/ into each
// harness). The split is seeded from the input's own bytes, so a failing
// input replays with the same chunks.

/// A chunk size: mostly tiny (to split lines, numbers, UTF-8 sequences and
/// record headers), sometimes large. `smallMax` bounds the second class
/// (a TFRecord header is 12 bytes, so that harness asks for 12).
func chunkSize(_ rng: inout SplitMix, smallMax: UInt64 = 8) -> Int {
  let r = rng.next()
  switch r % 4 {
  case 0: return 1
  case 1: return 1 + Int((r >> 2) % smallMax)
  case 2: return 1 + Int((r >> 2) % 64)
  default: return 1 + Int((r >> 2) % 4096)
  }
}

/// FNV-1a of the input: the seed of its chunk split.
func fnv1a(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
  var h: UInt64 = 0xcbf2_9ce4_8422_2325
  for b in bytes {
    h ^= UInt64(b)
    h = h &* 0x100_0000_01b3
  }
  return h
}

/// SplitMix64: a small, well-mixed, deterministic generator.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }
}

// fuzz-modules: RunLog
// libFuzzer harness for the W&B `.wandb` reader (LevelDB-log framing with
// fragments across 32 KiB blocks + Record protobuf decoding; scripts/fuzz.sh,
// docs/fuzzing.md).
//
// The first byte picks how the rest is used:
// - even: the rest is raw file bytes after a valid W&B header (framing,
//   resync to the next block, torn tails);
// - odd: the rest is cut into payloads (two length bytes, then that many
//   bytes, so records cross block ends into FIRST/MIDDLE/LAST fragments) and
//   each is framed validly by `WandbLogEncoder`, then an input-derived few
//   bytes are flipped, so the decoder sees arbitrary Records behind good CRCs.
// The bytes are fed to one parser whole and to another in chunks whose sizes
// come from a PRNG seeded by a hash of the input, and checks:
// - both give the same rows, keys, config, summary, run info, exit code,
//   record and bad counts and bad reports;
// - while chunked, every row returned matches the whole read at its index
//   (nothing returned is taken back) and the counters never go down;
// - bad reports name byte offsets inside the input, in increasing order;
// - the consumed offset never passes the input and only grows.
@testable import RunLog

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size > 0 else { return 0 }
  let input = UnsafeRawBufferPointer(start: data, count: size)
  var rng = SplitMix(seed: fnv1a(input))
  let bytes: [UInt8] =
    data[0] & 1 == 0
    ? LevelDBLogFramer.fileHeader + Array(input[1...]) : framed(input[1...], &rng)

  let whole = WandbParser(path: "fuzz")
  var expected: [WandbRow] = []
  bytes.withUnsafeBytes { _ = whole.feed($0) { expected.append($0) } }
  whole.finish { expected.append($0) }
  precondition(whole.consumedOffset == Int64(bytes.count), "finish left bytes unconsumed")

  let chunked = WandbParser(path: "fuzz")
  var got: [WandbRow] = []
  var offset = 0
  var records = 0
  var bad = 0
  var consumed: Int64 = 0
  while offset < bytes.count {
    let n = min(bytes.count - offset, chunkSize(&rng, smallMax: 7))
    let before = got.count
    bytes.withUnsafeBytes { raw in
      _ = chunked.feed(UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + n)])) {
        got.append($0)
      }
    }
    offset += n
    precondition(got.count <= expected.count, "chunked read returned more rows than whole")
    for i in before..<got.count {
      precondition(got[i] == expected[i], "row \(i) differs when fed in chunks")
    }
    precondition(chunked.recordCount >= records && chunked.badCount >= bad, "a counter went down")
    precondition(
      chunked.consumedOffset >= consumed && chunked.consumedOffset <= Int64(offset),
      "consumed offset went back or past the input")
    records = chunked.recordCount
    bad = chunked.badCount
    consumed = chunked.consumedOffset
  }
  chunked.finish { got.append($0) }
  precondition(got == expected, "chunked and whole reads differ")
  precondition(chunked.recordCount == whole.recordCount, "record counts differ")
  precondition(chunked.badCount == whole.badCount, "bad counts differ")
  precondition(chunked.recentBad == whole.recentBad, "bad reports differ")
  precondition(chunked.keys == whole.keys, "keys differ")
  precondition(chunked.config == whole.config, "config differs")
  precondition(
    chunked.summary.keys.sorted() == whole.summary.keys.sorted(), "summary keys differ")
  precondition(chunked.runID == whole.runID && chunked.displayName == whole.displayName)
  precondition(chunked.exitCode == whole.exitCode, "exit codes differ")
  for row in expected {
    for item in row.items {
      precondition(item.key >= 0 && item.key < whole.keys.count, "key index out of range")
    }
  }

  var last: Int64 = -1
  for b in whole.recentBad {
    guard let r = b.reason.range(of: "byte offset "),
      let end = b.reason[r.upperBound...].firstIndex(of: ":"),
      let at = Int64(b.reason[r.upperBound..<end])
    else { preconditionFailure("bad report without an offset: \(b.reason)") }
    precondition(at >= 0 && at < Int64(max(bytes.count, 1)), "offset outside the input")
    precondition(at > last, "bad reports out of order")
    last = at
  }
  return 0
}

/// Frames input-chosen payloads as W&B records (valid CRCs), then flips a few bytes.
private func framed(_ rest: UnsafeRawBufferPointer.SubSequence, _ rng: inout SplitMix) -> [UInt8] {
  var e = WandbLogEncoder()
  var i = rest.startIndex
  while i + 1 < rest.endIndex {
    // Two length bytes, scaled so a few payloads cross a 32 KiB block.
    let want = (Int(rest[i]) | Int(rest[i + 1]) << 8) % 40000
    let n = min(want, rest.endIndex - i - 2)
    e.append(record: Array(rest[(i + 2)..<(i + 2 + n)]))
    i += 2 + n
  }
  var out = e.bytes
  if out.count > 7, rng.next() % 4 == 0 {
    let at = 7 + Int(rng.next() % UInt64(out.count - 7))
    out[at] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
  }
  if out.count > 7, rng.next() % 8 == 0 { out.removeLast(Int(rng.next() % UInt64(out.count - 7))) }
  return out
}

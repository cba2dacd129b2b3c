/// A 128-bit hash that is the same in every process and on every machine,
/// for keys that name values shared between processes (the reference
/// log-prob cache): 64 bits would do for one run's pairs, but keys from
/// many runs and datasets land in one directory, and a collision there would
/// silently hand a run another pair's value.
public struct StableHash128: Hashable, Sendable {
  /// Low and high 64 bits.
  public var low: UInt64
  public var high: UInt64

  public init(low: UInt64, high: UInt64) {
    self.low = low
    self.high = high
  }

  /// The 32 lowercase hex digits (high word first), for file names.
  public var hex: String {
    func digits(_ x: UInt64) -> String {
      let s = String(x, radix: 16)
      return String(repeating: "0", count: 16 - s.count) + s
    }
    return digits(high) + digits(low)
  }

  /// The hash of `bytes`: MurmurHash3's x64-128 block mixing and
  /// finalisation (two 64-bit lanes over 16-byte little-endian blocks).
  public static func of(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> StableHash128 {
    let c1: UInt64 = 0x87C3_7B91_1142_53D5
    let c2: UInt64 = 0x4CF5_AD43_2745_937F
    var h1 = seed
    var h2 = seed
    func word(_ at: Int) -> UInt64 {
      var x: UInt64 = 0
      for i in 0..<8 { x |= UInt64(bytes[at + i]) << (8 * UInt64(i)) }
      return x
    }
    func mix1(_ k: UInt64) -> UInt64 { rotl(k &* c1, 31) &* c2 }
    func mix2(_ k: UInt64) -> UInt64 { rotl(k &* c2, 33) &* c1 }
    let blocks = bytes.count / 16
    for b in 0..<blocks {
      h1 ^= mix1(word(16 * b))
      h1 = rotl(h1, 27) &+ h2
      h1 = h1 &* 5 &+ 0x52DC_E729
      h2 ^= mix2(word(16 * b + 8))
      h2 = rotl(h2, 31) &+ h1
      h2 = h2 &* 5 &+ 0x3849_5AB5
    }
    let tail = bytes.count - 16 * blocks
    var k1: UInt64 = 0
    var k2: UInt64 = 0
    for i in 0..<tail {
      let byte = UInt64(bytes[16 * blocks + i])
      if i < 8 { k1 |= byte << (8 * UInt64(i)) } else { k2 |= byte << (8 * UInt64(i - 8)) }
    }
    if tail > 8 { h2 ^= mix2(k2) }
    if tail > 0 { h1 ^= mix1(k1) }
    h1 ^= UInt64(bytes.count)
    h2 ^= UInt64(bytes.count)
    h1 = h1 &+ h2
    h2 = h2 &+ h1
    h1 = fmix(h1)
    h2 = fmix(h2)
    h1 = h1 &+ h2
    h2 = h2 &+ h1
    return StableHash128(low: h1, high: h2)
  }

  /// The hash of `bytes`.
  public static func of(_ bytes: [UInt8], seed: UInt64 = 0) -> StableHash128 {
    bytes.withUnsafeBytes { of($0, seed: seed) }
  }

  private static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }

  /// Murmur's avalanche: every input bit flips about half the output bits.
  private static func fmix(_ k: UInt64) -> UInt64 {
    var k = k
    k ^= k >> 33
    k = k &* 0xFF51_AFD7_ED55_8CCD
    k ^= k >> 33
    k = k &* 0xC4CE_B9FE_1A85_EC53
    k ^= k >> 33
    return k
  }
}

/// Bytes fed to `StableHash128`, each field framed by its length so that
/// ("ab", "c") and ("a", "bc") hash differently.
struct HashInput {
  private(set) var bytes: [UInt8] = []

  mutating func add(_ x: UInt64) {
    for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: x >> (8 * UInt64(i)))) }
  }

  mutating func add(_ text: String) {
    add(UInt64(text.utf8.count))
    bytes += text.utf8
  }

  mutating func add(floats: [Float]) {
    add(UInt64(floats.count))
    bytes.reserveCapacity(bytes.count + 4 * floats.count)
    for f in floats {
      let b = f.bitPattern
      for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: b >> (8 * UInt32(i)))) }
    }
  }

  var hash: StableHash128 { StableHash128.of(bytes) }
}

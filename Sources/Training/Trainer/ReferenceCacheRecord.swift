import RunLog

/// One pair's reference log-probs as stored in a reference cache file: a
/// fixed-size little-endian record, so a reader can take whole records from
/// any prefix of a file a peer is still appending to.
///
/// Layout (40 bytes): magic "RLP1" · key (low, high UInt64) · log πref(chosen)
/// and log πref(rejected) as Float64 bit patterns · masked CRC-32C of the
/// directory's fingerprint followed by the first 36 bytes. Seeding the
/// checksum with the fingerprint means a record copied into another
/// reference's directory fails its check instead of lending its value.
struct ReferenceCacheRecord: Equatable {
  var key: StableHash128
  var chosen: Double
  var rejected: Double

  static let size = 40
  static let magic: [UInt8] = Array("RLP1".utf8)

  /// The record's bytes, checksummed with `seed` (`checksumSeed(fingerprint)`).
  func encoded(seed: UInt32) -> [UInt8] {
    var out = Self.magic
    out.reserveCapacity(Self.size)
    for x in [key.low, key.high, chosen.bitPattern, rejected.bitPattern] {
      for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: x >> (8 * UInt64(i)))) }
    }
    let crc = out.withUnsafeBytes { CRC32C.masked(CRC32C.update(seed, $0)) }
    for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i)))) }
    return out
  }

  /// The record in `bytes` (exactly `size` of them), or nil when its magic
  /// or checksum is wrong.
  static func decode(_ bytes: UnsafeRawBufferPointer, seed: UInt32) -> ReferenceCacheRecord? {
    guard bytes.count == size, Array(bytes[0..<4]) == magic else { return nil }
    func load(_ at: Int, _ width: Int) -> UInt64 {
      var x: UInt64 = 0
      for i in 0..<width { x |= UInt64(bytes[at + i]) << (8 * UInt64(i)) }
      return x
    }
    let stored = UInt32(load(36, 4))
    let crc = CRC32C.masked(CRC32C.update(seed, UnsafeRawBufferPointer(rebasing: bytes[0..<36])))
    guard crc == stored else { return nil }
    return ReferenceCacheRecord(
      key: StableHash128(low: load(4, 8), high: load(12, 8)),
      chosen: Double(bitPattern: load(20, 8)), rejected: Double(bitPattern: load(28, 8)))
  }

  /// The checksum seed of a directory: its fingerprint's CRC-32C.
  static func checksumSeed(_ fingerprint: StableHash128) -> UInt32 {
    CRC32C.checksum(Array(fingerprint.hex.utf8))
  }
}

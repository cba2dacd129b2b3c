/// A table-driven reflected CRC-32 for any polynomial, slice-by-8.
///
/// Eight 256-entry tables let the loop fold eight input bytes per iteration,
/// which matters because every byte of an imported log is checked. TFRecord
/// uses the Castagnoli polynomial (`CRC32C`), W&B's LevelDB-style log the
/// IEEE one (`CRC32`): one loop serves both.
struct SlicedCRC32: Sendable {
  /// The eight lookup tables.
  let tables: [UInt32]

  /// Tables for the reflected polynomial `poly` (0x82F63B78 Castagnoli, 0xEDB88320 IEEE).
  init(reflectedPolynomial poly: UInt32) {
    var t = [UInt32](repeating: 0, count: 8 * 256)
    for i in 0..<256 {
      var c = UInt32(i)
      for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ poly : c >> 1 }
      t[i] = c
    }
    for i in 0..<256 {
      var c = t[i]
      for k in 1..<8 {
        c = (c >> 8) ^ t[Int(c & 0xFF)]
        t[k * 256 + i] = c
      }
    }
    tables = t
  }

  /// Continues `crc` (a previous result, 0 to start) over `bytes`.
  func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
    var c = ~crc
    let n = bytes.count
    guard n > 0, let base = bytes.baseAddress else { return crc }
    tables.withUnsafeBufferPointer { t in
      var i = 0
      while i + 8 <= n {
        // Unaligned little-endian loads of two words.
        let lo = base.loadUnaligned(fromByteOffset: i, as: UInt32.self).littleEndian ^ c
        let hi = base.loadUnaligned(fromByteOffset: i + 4, as: UInt32.self).littleEndian
        c =
          t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
          ^ t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
          ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
          ^ t[1 * 256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
        i += 8
      }
      while i < n {
        c = (c >> 8) ^ t[Int((c ^ UInt32(base.load(fromByteOffset: i, as: UInt8.self))) & 0xFF)]
        i += 1
      }
    }
    return ~c
  }
}

/// CRC-32 with the IEEE polynomial (zlib's `crc32`), as W&B's `.wandb` log
/// checksums its records (verified on files written by wandb 0.31: unmasked,
/// over the record type byte then the payload).
public enum CRC32 {
  static let engine = SlicedCRC32(reflectedPolynomial: 0xEDB8_8320)

  /// The CRC-32 of `bytes`.
  public static func checksum(_ bytes: [UInt8]) -> UInt32 {
    bytes.withUnsafeBytes { engine.update(0, $0) }
  }

  /// Continues `crc` (a previous result, 0 to start) over `bytes`.
  public static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
    engine.update(crc, bytes)
  }
}

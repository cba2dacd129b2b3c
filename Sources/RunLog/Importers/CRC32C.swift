/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as TFRecord frames use it.
///
/// Slice-by-8: eight 256-entry tables let the loop fold eight input bytes per
/// iteration, which matters because every byte of an event file is checked.
public enum CRC32C {
  /// The eight lookup tables, built once.
  static let tables: [UInt32] = {
    var t = [UInt32](repeating: 0, count: 8 * 256)
    for i in 0..<256 {
      var c = UInt32(i)
      for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
      t[i] = c
    }
    for i in 0..<256 {
      var c = t[i]
      for k in 1..<8 {
        c = (c >> 8) ^ t[Int(c & 0xFF)]
        t[k * 256 + i] = c
      }
    }
    return t
  }()

  /// The CRC-32C of `bytes`.
  public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
    update(0, bytes)
  }

  /// The CRC-32C of `bytes`.
  public static func checksum(_ bytes: [UInt8]) -> UInt32 {
    bytes.withUnsafeBytes { update(0, $0) }
  }

  /// Continues `crc` (a previous result, 0 to start) over `bytes`.
  public static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
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

  /// TFRecord's masked CRC: rotate right by 15 and add a constant, so a CRC
  /// stored inside checksummed data does not checksum to a fixed pattern.
  public static func masked(_ crc: UInt32) -> UInt32 {
    ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
  }
}

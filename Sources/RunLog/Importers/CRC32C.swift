/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as TFRecord frames use it.
///
/// Slice-by-8 (`SlicedCRC32`, shared with W&B's IEEE `CRC32`), because every
/// byte of an event file is checked.
public enum CRC32C {
  static let engine = SlicedCRC32(reflectedPolynomial: 0x82F6_3B78)

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
    engine.update(crc, bytes)
  }

  /// TFRecord's masked CRC: rotate right by 15 and add a constant, so a CRC
  /// stored inside checksummed data does not checksum to a fixed pattern.
  public static func masked(_ crc: UInt32) -> UInt32 {
    ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
  }
}

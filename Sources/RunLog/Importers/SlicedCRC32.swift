/// A table-driven reflected CRC-32 for any polynomial, slice-by-8.
///
/// Eight 256-entry tables let the loop fold eight input bytes per iteration,
/// which matters because every byte of an imported log is checked. TFRecord
/// uses the Castagnoli polynomial (`CRC32C`), W&B's LevelDB-style log the
/// IEEE one (`CRC32`): one loop serves both.
struct SlicedCRC32: @unchecked Sendable {
  /// The eight lookup tables, 8 x 256 words. Allocated once per polynomial
  /// and never freed (each engine is a `static let`): a raw pointer, not an
  /// array, so the per-record call retains nothing and checks no bounds.
  /// Never written after `init`, hence safe to share between threads.
  let tables: UnsafePointer<UInt32>

  /// Tables for the reflected polynomial `poly` (0x82F63B78 Castagnoli, 0xEDB88320 IEEE).
  init(reflectedPolynomial poly: UInt32) {
    let t = UnsafeMutablePointer<UInt32>.allocate(capacity: 8 * 256)
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
    tables = UnsafePointer(t)
  }

  /// Continues `crc` (a previous result, 0 to start) over `bytes`.
  @inline(__always)
  func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
    let n = bytes.count
    guard n > 0, let base = bytes.baseAddress else { return crc }
    return update(crc, base, n)
  }

  /// Continues `crc` over `n` bytes at `base` (n > 0).
  func update(_ crc: UInt32, _ base: UnsafeRawPointer, _ n: Int) -> UInt32 {
    var c = ~crc
    let t = tables
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
    return ~c
  }

  /// Continues `crc` over one byte (W&B's fragment type byte).
  @inline(__always)
  func update(_ crc: UInt32, byte: UInt8) -> UInt32 {
    ~((~crc >> 8) ^ tables[Int((~crc ^ UInt32(byte)) & 0xFF)])
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

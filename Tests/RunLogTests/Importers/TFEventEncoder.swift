import Foundation

/// A small protobuf + TFRecord *encoder*, written from the format specs, so
/// tests can build event files byte for byte (including broken ones).
enum PB {
  static func varint(_ v: UInt64) -> [UInt8] {
    var v = v
    var out: [UInt8] = []
    repeat {
      var b = UInt8(v & 0x7F)
      v >>= 7
      if v != 0 { b |= 0x80 }
      out.append(b)
    } while v != 0
    return out
  }

  static func key(_ field: Int, _ wire: Int) -> [UInt8] { varint(UInt64(field << 3 | wire)) }

  static func fixed32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian, Array.init) }
  static func fixed64(_ v: UInt64) -> [UInt8] { withUnsafeBytes(of: v.littleEndian, Array.init) }

  static func bytesField(_ field: Int, _ payload: [UInt8]) -> [UInt8] {
    key(field, 2) + varint(UInt64(payload.count)) + payload
  }

  static func stringField(_ field: Int, _ s: String) -> [UInt8] { bytesField(field, Array(s.utf8)) }
  static func floatField(_ field: Int, _ f: Float) -> [UInt8] {
    key(field, 5) + fixed32(f.bitPattern)
  }
  static func doubleField(_ field: Int, _ d: Double) -> [UInt8] {
    key(field, 1) + fixed64(d.bitPattern)
  }
  static func varintField(_ field: Int, _ v: UInt64) -> [UInt8] { key(field, 0) + varint(v) }
}

/// TensorBoard messages.
enum TB {
  /// `Summary.Value` with a `simple_value`.
  static func simple(_ tag: String, _ v: Float) -> [UInt8] {
    PB.stringField(1, tag) + PB.floatField(2, v)
  }

  /// A `TensorProto` for a rank-0 scalar in one of its encodings.
  enum TensorForm {
    case floatVal, floatPacked, floatContent, doubleVal, doublePacked, doubleContent
  }

  static func tensor(_ v: Double, _ form: TensorForm, shape: [Int] = []) -> [UInt8] {
    let isDouble = [.doubleVal, .doublePacked, .doubleContent].contains(form)
    var t = PB.varintField(1, isDouble ? 2 : 1)
    var shapeBytes: [UInt8] = []
    for d in shape { shapeBytes += PB.bytesField(2, PB.varintField(1, UInt64(d))) }
    t += PB.bytesField(2, shapeBytes)
    switch form {
    case .floatVal: t += PB.floatField(5, Float(v))
    case .floatPacked: t += PB.bytesField(5, PB.fixed32(Float(v).bitPattern))
    case .floatContent: t += PB.bytesField(4, PB.fixed32(Float(v).bitPattern))
    case .doubleVal: t += PB.doubleField(6, v)
    case .doublePacked: t += PB.bytesField(6, PB.fixed64(v.bitPattern))
    case .doubleContent: t += PB.bytesField(4, PB.fixed64(v.bitPattern))
    }
    return t
  }

  /// `Summary.Value` with a tensor and the scalars plugin's metadata.
  static func tensorValue(_ tag: String, _ tensor: [UInt8]) -> [UInt8] {
    let meta = PB.bytesField(1, PB.stringField(1, "scalars"))
    return PB.stringField(1, tag) + PB.bytesField(9, meta) + PB.bytesField(8, tensor)
  }

  /// An `Event` with a summary of `values` (each an encoded `Summary.Value`).
  static func event(step: Int, wall: Double, _ values: [[UInt8]], extra: [UInt8] = []) -> [UInt8] {
    var summary: [UInt8] = []
    for v in values { summary += PB.bytesField(1, v) }
    return PB.doubleField(1, wall) + PB.varintField(2, UInt64(bitPattern: Int64(step)))
      + extra + PB.bytesField(5, summary)
  }

  static func fileVersion(wall: Double) -> [UInt8] {
    PB.doubleField(1, wall) + PB.stringField(3, "brain.Event:2")
  }

  /// One TFRecord frame around `payload`.
  static func frame(_ payload: [UInt8]) -> [UInt8] {
    let len = PB.fixed64(UInt64(payload.count))
    return len + PB.fixed32(maskedCRC(len)) + payload + PB.fixed32(maskedCRC(payload))
  }

  /// Reference CRC-32C, bit by bit (independent of the reader's tables).
  static func crc32c(_ bytes: [UInt8]) -> UInt32 {
    var c: UInt32 = 0xFFFF_FFFF
    for b in bytes {
      c ^= UInt32(b)
      for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
    }
    return ~c
  }

  static func maskedCRC(_ bytes: [UInt8]) -> UInt32 {
    let c = crc32c(bytes)
    return ((c >> 15) | (c << 17)) &+ 0xA282_EAD8
  }

  /// A whole event file: file_version record, then one event per (step, values).
  static func file(_ events: [(step: Int, values: [[UInt8]])], wall0: Double = 1000) -> [UInt8] {
    var out = frame(fileVersion(wall: wall0))
    for (i, e) in events.enumerated() {
      out += frame(event(step: e.step, wall: wall0 + Double(i), e.values))
    }
    return out
  }
}

/// Test helpers shared by the importer tests.
enum Fixture {
  /// Path of a committed fixture (Tests/RunLogTests/Fixtures/...).
  static func path(_ relative: String) -> String {
    guard let base = Bundle.module.resourcePath else { return relative }
    return base + "/Fixtures/" + relative
  }

  /// A fresh temporary directory.
  static func tempDir() -> String {
    let p = NSTemporaryDirectory() + "dpotop-importers-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
    return p
  }

  static func write(_ path: String, _ bytes: [UInt8]) {
    FileManager.default.createFile(atPath: path, contents: Data(bytes))
  }

  static func append(_ path: String, _ bytes: [UInt8]) {
    guard let fh = FileHandle(forWritingAtPath: path) else { return }
    fh.seekToEndOfFile()
    fh.write(Data(bytes))
    try? fh.close()
  }
}

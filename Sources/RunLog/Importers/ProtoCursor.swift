/// A cursor over protobuf wire-format bytes, enough to decode TensorBoard's
/// messages by hand (no generated code, no dependencies).
///
/// Every read is bounds-checked and returns nil on malformed input rather
/// than trapping: event files are outside bytes.
struct ProtoCursor {
  /// Protobuf wire types.
  enum WireType: UInt8 {
    case varint = 0
    case fixed64 = 1
    case bytes = 2
    case startGroup = 3
    case endGroup = 4
    case fixed32 = 5
  }

  let base: UnsafeRawPointer?
  let end: Int
  var i: Int

  /// A cursor over `buffer`.
  init(_ buffer: UnsafeRawBufferPointer) {
    base = buffer.baseAddress
    end = buffer.count
    i = 0
  }

  /// A cursor over bytes `start..<stop` of the same storage.
  private init(base: UnsafeRawPointer?, start: Int, stop: Int) {
    self.base = base
    self.end = stop
    self.i = start
  }

  var atEnd: Bool { i >= end }

  /// Reads a base-128 varint (at most 10 bytes).
  mutating func varint() -> UInt64? {
    guard let base else { return nil }
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while i < end, shift < 70 {
      let b = base.load(fromByteOffset: i, as: UInt8.self)
      i += 1
      if shift < 64 { result |= UInt64(b & 0x7F) << shift }
      if b < 0x80 { return result }
      shift += 7
    }
    return nil
  }

  /// Reads a field key: (field number, wire type), nil when malformed.
  mutating func key() -> (field: UInt64, wire: WireType)? {
    guard let k = varint(), let wire = WireType(rawValue: UInt8(k & 7)) else { return nil }
    let field = k >> 3
    guard field > 0 else { return nil }
    return (field, wire)
  }

  mutating func fixed32() -> UInt32? {
    guard let base, end - i >= 4 else { return nil }
    let v = base.loadUnaligned(fromByteOffset: i, as: UInt32.self).littleEndian
    i += 4
    return v
  }

  mutating func fixed64() -> UInt64? {
    guard let base, end - i >= 8 else { return nil }
    let v = base.loadUnaligned(fromByteOffset: i, as: UInt64.self).littleEndian
    i += 8
    return v
  }

  /// Reads a length-delimited field and returns a cursor over its bytes.
  mutating func sub() -> ProtoCursor? {
    guard let n = varint(), n <= UInt64(end - i) else { return nil }
    let c = ProtoCursor(base: base, start: i, stop: i + Int(n))
    i += Int(n)
    return c
  }

  /// The remaining bytes as a buffer.
  var remaining: UnsafeRawBufferPointer {
    guard let base, i < end else { return UnsafeRawBufferPointer(start: nil, count: 0) }
    return UnsafeRawBufferPointer(start: base + i, count: end - i)
  }

  /// The remaining bytes as a (lossily decoded) UTF-8 string.
  var string: String {
    String(decoding: remaining, as: UTF8.self)
  }

  /// Skips a field of `wire` type; false when malformed. Groups are skipped
  /// by matching their end marker (nesting bounded by `depth`).
  mutating func skip(_ wire: WireType, field: UInt64, depth: Int = 0) -> Bool {
    switch wire {
    case .varint: return varint() != nil
    case .fixed64: return fixed64() != nil
    case .fixed32: return fixed32() != nil
    case .bytes: return sub() != nil
    case .endGroup: return false
    case .startGroup:
      guard depth < 32 else { return false }
      while let k = key() {
        if k.wire == .endGroup { return k.field == field }
        guard skip(k.wire, field: k.field, depth: depth + 1) else { return false }
      }
      return false
    }
  }
}

/// Decodes the protobuf payload of one TensorBoard `Event` record by hand.
///
/// Reads `Event.wall_time` (1, double), `Event.step` (2, int64),
/// `Event.file_version` (3) and `Event.summary` (5) → `Summary.value` (1) →
/// `Summary.Value` { tag (1), simple_value (2, float), metadata (9) →
/// plugin_data (1) → plugin_name (1) / content (2), tensor (8) }. Tensors
/// give a scalar when they hold exactly one float or double (`float_val` 5,
/// `double_val` 6, or `tensor_content` 4) and text when they hold a string
/// (`string_val` 8, text plugin). Unknown fields of every wire type are skipped.
struct TFEventDecoder {
  /// A summary value other than a scalar (rare: scalars, a million of them,
  /// go through `Sink.scalar` with plain values only, so no enum holding
  /// strings is copied and reference counted per point).
  enum Item {
    /// A text summary (tag and text), e.g. HF Trainer's `args/text_summary`.
    case text(tag: String, text: String)
    /// Hyperparameters from the hparams plugin's session start info.
    case hparams([String: HParamValue])
  }

  /// The envelope of one event. Plain values only (the file version stays
  /// bytes until asked for), so passing it per scalar costs no reference counting.
  struct Envelope {
    var wallTime = 0.0
    var step = 0
    /// `Event.file_version`'s bytes, when the event has one.
    var fileVersionBytes: ProtoCursor?

    /// `Event.file_version` (`brain.Event:2`), when the event has one.
    var fileVersion: String? { fileVersionBytes?.string }
  }

  /// Where decoded values go. Generic rather than a closure, so the caller's
  /// code is specialised into the decoding loop.
  protocol Sink {
    /// A scalar summary value: the tag's bytes (valid during the call) and the value.
    mutating func scalar(_ env: Envelope, tag: UnsafeRawBufferPointer, value: Double)
    /// A text or hparams summary value.
    mutating func other(_ env: Envelope, _ item: Item)
  }

  // TensorFlow DataType values used here.
  private static let dtFloat: UInt64 = 1
  private static let dtDouble: UInt64 = 2
  private static let dtString: UInt64 = 7

  /// Decodes `payload`; hands `sink` each usable summary value once the
  /// envelope (step, wall time) is known. Returns nil when the bytes are not a
  /// well-formed Event.
  static func decode<S: Sink>(_ payload: UnsafeRawBufferPointer, into sink: inout S)
    -> Envelope?
  {
    if let env = decodeSimpleScalar(payload, into: &sink) { return env }
    var c = ProtoCursor(payload)
    var env = Envelope()
    // Protobuf allows fields in any order: remember summaries until step is known.
    // One summary is the norm; more are merged (protobuf semantics) in order.
    var first: ProtoCursor?
    // Optional, not an empty array: the common event has one summary, and
    // an array (even empty) costs reference counting per record.
    var more: [ProtoCursor]?
    while !c.atEnd {
      guard let k = c.key() else { return nil }
      switch (k.field, k.wire) {
      case (1, .fixed64):
        guard let bits = c.fixed64() else { return nil }
        env.wallTime = Double(bitPattern: bits)
      case (2, .varint):
        guard let v = c.varint() else { return nil }
        // int64 on the wire: two's complement in 64 bits.
        env.step = Int(truncatingIfNeeded: Int64(bitPattern: v))
      case (3, .bytes):
        guard let s = c.sub() else { return nil }
        env.fileVersionBytes = s
      case (5, .bytes):
        guard let s = c.sub() else { return nil }
        if first == nil { first = s } else { more = (more ?? []) + [s] }
      default:
        guard c.skip(k.wire, field: k.field) else { return nil }
      }
    }
    guard let first else { return env }
    guard decodeSummary(first, env, &sink) else { return nil }
    for s in more ?? [] {
      guard decodeSummary(s, env, &sink) else { return nil }
    }
    return env
  }

  /// The one shape of nearly every event in a scalar log (what `add_scalar`
  /// writes), recognised byte by byte: `wall_time`, optionally `step`, then
  /// one summary holding one value with a tag and a `simple_value`, and
  /// nothing else, fields in order, short lengths. Hands out the scalar and
  /// returns the envelope when the payload is exactly that, else nil with
  /// nothing handed out (the general decoder then reads it; both agree on
  /// this shape, the general one merely walks it field by field).
  @inline(__always)
  private static func decodeSimpleScalar<S: Sink>(
    _ payload: UnsafeRawBufferPointer, into sink: inout S
  ) -> Envelope? {
    let n = payload.count
    guard n >= 9 + 2 + 2 + 2 + 5, let b = payload.baseAddress else { return nil }
    @inline(__always) func byte(_ i: Int) -> UInt8 { b.load(fromByteOffset: i, as: UInt8.self) }
    // wall_time: field 1, fixed64.
    guard byte(0) == 0x09 else { return nil }
    var env = Envelope()
    env.wallTime = Double(
      bitPattern: b.loadUnaligned(fromByteOffset: 1, as: UInt64.self).littleEndian)
    var p = 9
    // step: field 2, varint (absent when 0).
    if byte(p) == 0x10 {
      p += 1
      var v: UInt64 = 0
      var shift: UInt64 = 0
      while true {
        guard p < n, shift < 64 else { return nil }
        let x = byte(p)
        p += 1
        v |= UInt64(x & 0x7F) << shift
        if x < 0x80 { break }
        shift += 7
      }
      env.step = Int(truncatingIfNeeded: Int64(bitPattern: v))
    }
    // summary (field 5) → value (field 1) → tag (field 1): one-byte lengths,
    // each message ending exactly where the enclosing one does.
    guard p + 6 <= n, byte(p) == 0x2A, byte(p + 1) < 0x80, Int(byte(p + 1)) == n - p - 2,
      byte(p + 2) == 0x0A, byte(p + 3) < 0x80, Int(byte(p + 3)) == n - p - 4,
      byte(p + 4) == 0x0A
    else { return nil }
    let tagLength = Int(byte(p + 5))
    let tagStart = p + 6
    // simple_value: field 2, fixed32, the value's last field.
    guard tagLength < 0x80, tagStart + tagLength + 5 == n, byte(tagStart + tagLength) == 0x15
    else { return nil }
    let bits = b.loadUnaligned(fromByteOffset: tagStart + tagLength + 1, as: UInt32.self)
    let tag = UnsafeRawBufferPointer(start: b + tagStart, count: tagLength)
    sink.scalar(env, tag: tag, value: Double(Float(bitPattern: bits.littleEndian)))
    return env
  }

  /// Decodes one `Summary` (its repeated `value` field); false when malformed.
  private static func decodeSummary<S: Sink>(
    _ summary: ProtoCursor, _ env: Envelope, _ sink: inout S
  ) -> Bool {
    var s = summary
    while !s.atEnd {
      guard let k = s.key() else { return false }
      if k.field == 1, k.wire == .bytes {
        guard var v = s.sub() else { return false }
        guard decodeValue(&v, env, &sink) else { return false }
      } else {
        guard s.skip(k.wire, field: k.field) else { return false }
      }
    }
    return true
  }

  /// Decodes one `Summary.Value`; false when malformed.
  private static func decodeValue<S: Sink>(
    _ c: inout ProtoCursor, _ env: Envelope, _ sink: inout S
  ) -> Bool {
    var tag = UnsafeRawBufferPointer(start: nil, count: 0)
    var simple: Float?
    var tensor: ProtoCursor?
    var plugin: ProtoCursor?
    var content: ProtoCursor?
    while !c.atEnd {
      guard let k = c.key() else { return false }
      switch (k.field, k.wire) {
      case (1, .bytes):
        guard let s = c.sub() else { return false }
        tag = s.remaining
      case (2, .fixed32):
        guard let bits = c.fixed32() else { return false }
        simple = Float(bitPattern: bits)
      case (8, .bytes):
        guard let s = c.sub() else { return false }
        tensor = s
      case (9, .bytes):
        guard var meta = c.sub() else { return false }
        guard decodeMetadata(&meta, &plugin, &content) else { return false }
      default:
        guard c.skip(k.wire, field: k.field) else { return false }
      }
    }
    if let simple {
      sink.scalar(env, tag: tag, value: Double(simple))
      return true
    }
    let pluginName = plugin?.string
    if pluginName == "hparams", var content {
      if let hp = HParamsDecoder.sessionStartHParams(&content) { sink.other(env, .hparams(hp)) }
      return true
    }
    guard var t = tensor else { return true }
    switch decodeTensor(&t) {
    case .none: return false
    case .some(.number(let v)): sink.scalar(env, tag: tag, value: v)
    case .some(.text(let s)):
      sink.other(env, .text(tag: String(decoding: tag, as: UTF8.self), text: s))
    case .some(.other): break
    }
    return true
  }

  /// Reads `SummaryMetadata.plugin_data` (plugin name and content).
  private static func decodeMetadata(
    _ c: inout ProtoCursor, _ plugin: inout ProtoCursor?, _ content: inout ProtoCursor?
  ) -> Bool {
    while !c.atEnd {
      guard let k = c.key() else { return false }
      if k.field == 1, k.wire == .bytes {
        guard var pd = c.sub() else { return false }
        while !pd.atEnd {
          guard let pk = pd.key() else { return false }
          if pk.field == 1, pk.wire == .bytes {
            plugin = pd.sub()
            if plugin == nil { return false }
          } else if pk.field == 2, pk.wire == .bytes {
            content = pd.sub()
            if content == nil { return false }
          } else if !pd.skip(pk.wire, field: pk.field) {
            return false
          }
        }
      } else if !c.skip(k.wire, field: k.field) {
        return false
      }
    }
    return true
  }

  private enum TensorValue {
    case number(Double)
    case text(String)
    case other
  }

  /// Reads a `TensorProto`; a number only when it holds exactly one element.
  private static func decodeTensor(_ c: inout ProtoCursor) -> TensorValue? {
    var dtype: UInt64 = 0
    var elements = 1
    var float: Float?
    var double: Double?
    var content = UnsafeRawBufferPointer(start: nil, count: 0)
    var strings: [String] = []
    while !c.atEnd {
      guard let k = c.key() else { return nil }
      switch (k.field, k.wire) {
      case (1, .varint):
        guard let v = c.varint() else { return nil }
        dtype = v
      case (2, .bytes):
        guard var shape = c.sub(), let n = shapeElements(&shape) else { return nil }
        elements = n
      case (4, .bytes):
        guard let s = c.sub() else { return nil }
        content = s.remaining
      case (5, .fixed32):
        guard let bits = c.fixed32() else { return nil }
        if float == nil { float = Float(bitPattern: bits) }
      case (5, .bytes):
        guard var s = c.sub() else { return nil }
        while !s.atEnd {
          guard let bits = s.fixed32() else { return nil }
          if float == nil { float = Float(bitPattern: bits) }
        }
      case (6, .fixed64):
        guard let bits = c.fixed64() else { return nil }
        if double == nil { double = Double(bitPattern: bits) }
      case (6, .bytes):
        guard var s = c.sub() else { return nil }
        while !s.atEnd {
          guard let bits = s.fixed64() else { return nil }
          if double == nil { double = Double(bitPattern: bits) }
        }
      case (8, .bytes):
        guard let s = c.sub() else { return nil }
        if strings.count < 4 { strings.append(s.string) }
      default:
        guard c.skip(k.wire, field: k.field) else { return nil }
      }
    }
    switch dtype {
    case dtFloat where elements == 1:
      if let f = float { return .number(Double(f)) }
      if content.count == 4 {
        return .number(Double(Float(bitPattern: content.loadUnaligned(as: UInt32.self))))
      }
      return .other
    case dtDouble where elements == 1:
      if let d = double { return .number(d) }
      if content.count == 8 {
        return .number(Double(bitPattern: content.loadUnaligned(as: UInt64.self)))
      }
      return .other
    case dtString:
      if let s = strings.first { return .text(s) }
      return .other
    default:
      return .other
    }
  }

  /// Number of elements of a `TensorShapeProto` (product of `dim.size`), nil when malformed.
  private static func shapeElements(_ c: inout ProtoCursor) -> Int? {
    var n = 1
    while !c.atEnd {
      guard let k = c.key() else { return nil }
      if k.field == 2, k.wire == .bytes {
        guard var dim = c.sub() else { return nil }
        var size: Int64 = 0
        while !dim.atEnd {
          guard let dk = dim.key() else { return nil }
          if dk.field == 1, dk.wire == .varint {
            guard let v = dim.varint() else { return nil }
            size = Int64(bitPattern: v)
          } else if !dim.skip(dk.wire, field: dk.field) {
            return nil
          }
        }
        // Only "is it exactly one element" matters; clamp to avoid overflow.
        n = size == 1 ? n : (size == 0 ? 0 : 2)
      } else if !c.skip(k.wire, field: k.field) {
        return nil
      }
    }
    return n
  }
}

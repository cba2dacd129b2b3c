/// A hyperparameter value from TensorBoard's hparams plugin.
public enum HParamValue: Sendable, Equatable {
  case number(Double)
  case string(String)
  case bool(Bool)

  /// The value as a number, when it is one (or a string spelling one).
  public var number: Double? {
    switch self {
    case .number(let v): return v
    case .string(let s): return Double(s)
    case .bool: return nil
    }
  }

  /// The value as text.
  public var text: String {
    switch self {
    case .number(let v): return "\(v)"
    case .string(let s): return s
    case .bool(let b): return b ? "true" : "false"
    }
  }
}

/// Decodes the hparams plugin's `HParamsPluginData` content.
///
/// `HParamsPluginData.session_start_info` (3) → `SessionStartInfo.hparams`
/// (1, map<string, google.protobuf.Value>): each map entry is key (1) and
/// value (2); a `Value` is `number_value` (2, double), `string_value` (3) or
/// `bool_value` (4). Everything else is skipped.
enum HParamsDecoder {
  /// The session start hyperparameters, or nil when there are none or the bytes are malformed.
  static func sessionStartHParams(_ c: inout ProtoCursor) -> [String: HParamValue]? {
    var result: [String: HParamValue] = [:]
    while !c.atEnd {
      guard let k = c.key() else { return nil }
      guard k.field == 3, k.wire == .bytes else {
        guard c.skip(k.wire, field: k.field) else { return nil }
        continue
      }
      guard var info = c.sub() else { return nil }
      while !info.atEnd {
        guard let ik = info.key() else { return nil }
        guard ik.field == 1, ik.wire == .bytes else {
          guard info.skip(ik.wire, field: ik.field) else { return nil }
          continue
        }
        guard var entry = info.sub() else { return nil }
        var name: String?
        var value: HParamValue?
        while !entry.atEnd {
          guard let ek = entry.key() else { return nil }
          if ek.field == 1, ek.wire == .bytes {
            guard let s = entry.sub() else { return nil }
            name = s.string
          } else if ek.field == 2, ek.wire == .bytes {
            guard var v = entry.sub() else { return nil }
            value = decodeValue(&v)
          } else if !entry.skip(ek.wire, field: ek.field) {
            return nil
          }
        }
        if let name, let value { result[name] = value }
      }
    }
    return result.isEmpty ? nil : result
  }

  private static func decodeValue(_ c: inout ProtoCursor) -> HParamValue? {
    var out: HParamValue?
    while !c.atEnd {
      guard let k = c.key() else { return nil }
      switch (k.field, k.wire) {
      case (2, .fixed64):
        guard let bits = c.fixed64() else { return nil }
        out = .number(Double(bitPattern: bits))
      case (3, .bytes):
        guard let s = c.sub() else { return nil }
        out = .string(s.string)
      case (4, .varint):
        guard let v = c.varint() else { return nil }
        out = .bool(v != 0)
      default:
        guard c.skip(k.wire, field: k.field) else { return nil }
      }
    }
    return out
  }
}

/// Encodes a `MetricRecord` as one line of `metrics.jsonl`.
///
/// Hand-written rather than `JSONEncoder` because the order of keys matters
/// (step, time, split first, then metrics as logged), non-finite values must be
/// written the way Python's `json` writes them (`NaN`, `Infinity`,
/// `-Infinity`), and the trainer calls this every step.
public enum MetricLineEncoder {
  /// The line for `record`, including the trailing newline.
  public static func line(_ record: MetricRecord) -> String {
    var out = "{\"step\":\(record.step)"
    if let time = record.time { out += ",\"time\":" + number(time) }
    out += ",\"split\":\"\(record.split.rawValue)\""
    for (key, value) in record.values {
      out += ","
      appendJSONString(key, to: &out)
      out += ":" + number(value)
    }
    out += "}\n"
    return out
  }

  /// A double as JSON (shortest round-trip form), or Python's non-finite spellings.
  public static func number(_ x: Double) -> String {
    if x.isNaN { return "NaN" }
    if x.isInfinite { return x > 0 ? "Infinity" : "-Infinity" }
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return "\(x)"
  }
}

/// Appends `s` as a JSON string literal (quotes, escapes for `"`, `\` and control characters).
public func appendJSONString(_ s: String, to out: inout String) {
  out += "\""
  for scalar in s.unicodeScalars {
    switch scalar {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    case "\n": out += "\\n"
    case "\r": out += "\\r"
    case "\t": out += "\\t"
    default:
      if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
        || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
      {
        out += "\\u" + hex4(scalar.value)
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
  }
  out += "\""
}

private func hex4(_ v: UInt32) -> String {
  let digits = Array("0123456789abcdef")
  return String([
    digits[Int((v >> 12) & 0xF)], digits[Int((v >> 8) & 0xF)], digits[Int((v >> 4) & 0xF)],
    digits[Int(v & 0xF)],
  ])
}

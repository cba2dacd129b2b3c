import Foundation

/// Encodes a `ProbeRecord` as one line of `probes.jsonl`.
///
/// Log-probs are written with `decimals` places (4 by default): a probe line
/// holds a few hundred numbers and a run writes one per probe per
/// evaluation, so the shortest round-trip form would triple the file for
/// digits no view shows.
public enum ProbeLineEncoder {
  /// The line for `record`, including the trailing newline.
  public static func line(_ record: ProbeRecord, decimals: Int = 4) -> String {
    var out = "{\"step\":\(record.step),\"pair\":\(record.pair),\"prompt\":"
    appendJSONString(record.prompt, to: &out)
    out += ",\"first_diff\":\(record.firstDiff)"
    strings("chosen_tokens", record.chosenTokens, &out)
    strings("rejected_tokens", record.rejectedTokens, &out)
    numbers("chosen_logps", record.chosenLogps, decimals, &out)
    numbers("rejected_logps", record.rejectedLogps, decimals, &out)
    numbers("chosen_ref_logps", record.chosenRefLogps, decimals, &out)
    numbers("rejected_ref_logps", record.rejectedRefLogps, decimals, &out)
    out += "}\n"
    return out
  }

  private static func strings(_ key: String, _ values: [String], _ out: inout String) {
    out += ",\"\(key)\":["
    for (i, v) in values.enumerated() {
      if i > 0 { out += "," }
      appendJSONString(v, to: &out)
    }
    out += "]"
  }

  private static func numbers(
    _ key: String, _ values: [Double], _ decimals: Int, _ out: inout String
  ) {
    out += ",\"\(key)\":["
    for (i, v) in values.enumerated() {
      if i > 0 { out += "," }
      out += compact(v, decimals: decimals)
    }
    out += "]"
  }

  /// `x` with at most `decimals` places and no trailing zeros (`-0.25`,
  /// `-3`), or Python's spellings of the non-finite values.
  static func compact(_ x: Double, decimals: Int) -> String {
    guard x.isFinite else { return MetricLineEncoder.number(x) }
    var s = String(format: "%.\(decimals)f", x)
    if s.contains(".") {
      while s.hasSuffix("0") { s.removeLast() }
      if s.hasSuffix(".") { s.removeLast() }
    }
    if s == "-0" { s = "0" }
    return s
  }
}

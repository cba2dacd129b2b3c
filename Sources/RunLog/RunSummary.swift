import Foundation

/// Per-metric statistics of a loaded run, as text or JSON (`dpotop summary`).
public struct RunSummary: Sendable {
  /// One metric of one split.
  public struct Row: Sendable {
    public var split: Split
    public var key: String
    public var count: Int
    public var firstStep: Int
    public var lastStep: Int
    public var last: Double
    public var min: Double?
    public var max: Double?
  }

  public let run: LoadedRun
  public let rows: [Row]

  /// Computes the statistics of `run`.
  public init(_ run: LoadedRun) {
    self.run = run
    var rows: [Row] = []
    for split in Split.allCases {
      for key in run.store.keys(split) {
        guard let s = run.store.series(key, split), let first = s.steps.first,
          let lastStep = s.lastStep, let last = s.last
        else { continue }
        let range = s.finiteRange()
        rows.append(
          Row(
            split: split, key: key, count: s.count, firstStep: first, lastStep: lastStep,
            last: last, min: range?.min, max: range?.max))
      }
    }
    self.rows = rows
  }

  /// Human-readable text: a header of manifest essentials, then one row per metric.
  public func text() -> String {
    var out = "run: \(visible(run.path))\n"
    if let m = run.manifest {
      var facts = [
        "name \(visible(m.name))", "status \(m.status.rawValue)", "trainer \(visible(m.trainer))",
      ]
      if let o = m.objective { facts.append("objective \(visible(o))") }
      if let b = m.beta { facts.append("beta \(fmt(b))") }
      if let l = m.lambda { facts.append("lambda \(fmt(l))") }
      if let lr = m.learningRate { facts.append("lr \(fmt(lr))") }
      if let p = m.plannedSteps { facts.append("planned_steps \(p)") }
      if let d = m.dataset {
        facts.append("data \(visible(d.name))")
        if let e = d.meanEditDistance { facts.append("edit_distance \(fmt(e))") }
      }
      out += "  " + facts.joined(separator: "  ") + "\n"
      if let e = m.error { out += "  error: \(visible(e))\n" }
    }
    if let e = run.manifestError { out += "  manifest error: \(visible(e))\n" }
    out += "  lines \(run.lineCount)  records \(run.store.recordCount)  bad_lines \(run.badCount)\n"
    for bad in run.recentBad.suffix(3) { out += "  bad: \(visible(bad.description))\n" }
    if rows.isEmpty {
      out += "  (no metrics yet)\n"
      return out
    }
    let keys = rows.map { visible($0.key) }
    let width = max(6, keys.map(\.count).max() ?? 6)
    out +=
      "  split  " + pad("metric", width)
      + "   count  first_step  last_step          last           min           max\n"
    for (r, key) in zip(rows, keys) {
      out +=
        "  " + pad(r.split.rawValue, 5) + "  " + pad(key, width)
        + lpad(String(r.count), 8) + lpad(String(r.firstStep), 12) + lpad(String(r.lastStep), 11)
        + lpad(fmt(r.last), 14) + lpad(r.min.map(fmt) ?? "-", 14) + lpad(r.max.map(fmt) ?? "-", 14)
        + "\n"
    }
    return out
  }

  /// One JSON object describing the run.
  public func json() -> String {
    var out = "{\"path\":"
    appendJSONString(run.path, to: &out)
    if let m = run.manifest {
      out += ",\"manifest\":" + String(decoding: m.encodedCompact(), as: UTF8.self)
    }
    if let e = run.manifestError {
      out += ",\"manifest_error\":"
      appendJSONString(e, to: &out)
    }
    out += ",\"lines\":\(run.lineCount),\"records\":\(run.store.recordCount)"
    out += ",\"bad_lines\":\(run.badCount),\"metrics\":["
    for (i, r) in rows.enumerated() {
      if i > 0 { out += "," }
      out += "{\"split\":\"\(r.split.rawValue)\",\"key\":"
      appendJSONString(r.key, to: &out)
      out += ",\"count\":\(r.count),\"first_step\":\(r.firstStep),\"last_step\":\(r.lastStep)"
      out += ",\"last\":" + jsonNumber(r.last)
      out += ",\"min\":" + (r.min.map(jsonNumber) ?? "null")
      out += ",\"max\":" + (r.max.map(jsonNumber) ?? "null") + "}"
    }
    out += "]}"
    return out
  }
}

/// `s` with control characters (C0, C1, DEL) and bidi controls replaced by
/// visible `\u{…}` escapes, so text from a file cannot drive the terminal.
public func visible(_ s: String) -> String {
  var out = ""
  for scalar in s.unicodeScalars {
    let v = scalar.value
    if v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v)
      || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F || v == 0x061C
    {
      out += "\\u{" + String(v, radix: 16) + "}"
    } else {
      out.unicodeScalars.append(scalar)
    }
  }
  return out
}

/// A number as strict JSON: non-finite values become strings ("NaN", "Infinity").
func jsonNumber(_ x: Double) -> String {
  x.isFinite ? MetricLineEncoder.number(x) : "\"\(MetricLineEncoder.number(x))\""
}

/// Compact numeric formatting for tables: up to 6 significant digits.
public func fmt(_ x: Double) -> String {
  if x.isNaN { return "NaN" }
  if x.isInfinite { return x > 0 ? "inf" : "-inf" }
  if x == x.rounded(), abs(x) < 1e9 { return String(Int64(x)) }
  let a = abs(x)
  if a >= 1e-3 && a < 1e6 {
    var s = String(format: "%.6g", x)
    if s.contains("e") { s = String(format: "%.4f", x) }
    return s
  }
  return String(format: "%.4e", x)
}

func pad(_ s: String, _ n: Int) -> String {
  s.count >= n ? s : s + String(repeating: " ", count: n - s.count)
}

func lpad(_ s: String, _ n: Int) -> String {
  s.count >= n ? " " + s : String(repeating: " ", count: n - s.count) + s
}

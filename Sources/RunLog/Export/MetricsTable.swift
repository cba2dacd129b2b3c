/// Every scalar of every run as one table, for pandas, R or a spreadsheet:
/// long (run, split, step, time, key, value: one row per logged value) or
/// wide (one row per run and step, one column per key; held-out keys get
/// TRL's `eval_` prefix), as CSV or JSON records.
///
/// Values round-trip exactly: Swift's `Double.description` is the shortest
/// text that reads back to the same double. NaN and infinities are spelled
/// `nan`, `inf`, `-inf` in CSV (pandas' `read_csv` reads them as such) and
/// `NaN`, `Infinity`, `-Infinity` in JSON (what Python's json module and
/// pandas' `read_json` read; only Python's is exact: `read_json` is an ulp
/// off for some values); a missing time is an empty CSV field / null.
public struct MetricsTable: Sendable {
  /// One run: the name it is listed under (its path) and its series.
  public struct Run: Sendable {
    public var name: String
    public var store: SeriesStore
    public init(name: String, store: SeriesStore) {
      self.name = name
      self.store = store
    }
  }

  public var runs: [Run]

  public init(_ runs: [Run]) { self.runs = runs }

  /// The long CSV: a header and one row per value.
  public func longCSV() -> String {
    var out = "run,split,step,time,key,value\n"
    forEachValue { run, split, step, time, key, value in
      out += Self.csvField(run) + "," + split.rawValue + "," + String(step) + ","
      out += (time.map(Self.csvNumber) ?? "") + "," + Self.csvField(key) + ","
      out += Self.csvNumber(value) + "\n"
    }
    return out
  }

  /// The long table as a JSON array of records (one object per value).
  public func longJSON() -> String {
    var rows: [String] = []
    forEachValue { run, split, step, time, key, value in
      var o = "{\"run\":" + Self.jsonString(run) + ",\"split\":\"\(split.rawValue)\""
      o += ",\"step\":\(step),\"time\":" + (time.map(Self.jsonNumber) ?? "null")
      o += ",\"key\":" + Self.jsonString(key) + ",\"value\":" + Self.jsonNumber(value) + "}"
      rows.append(o)
    }
    return "[" + rows.joined(separator: ",\n") + "]\n"
  }

  /// The wide CSV: run, step, time, the training keys, eval_time, the
  /// held-out keys as `eval_KEY`; an empty field where a run logged nothing.
  public func wideCSV() -> String {
    let columns = wideColumns()
    var out = (["run", "step"] + columns.map(\.name)).map(Self.csvField).joined(separator: ",")
    out += "\n"
    forEachWideRow(columns) { run, step, cells in
      out += Self.csvField(run) + "," + String(step)
      for c in cells { out += "," + (c.map(Self.csvNumber) ?? "") }
      out += "\n"
    }
    return out
  }

  /// The wide table as a JSON array of records (nulls where nothing was logged).
  public func wideJSON() -> String {
    let columns = wideColumns()
    var rows: [String] = []
    forEachWideRow(columns) { run, step, cells in
      var o = "{\"run\":" + Self.jsonString(run) + ",\"step\":\(step)"
      for (c, v) in zip(columns, cells) {
        o += "," + Self.jsonString(c.name) + ":" + (v.map(Self.jsonNumber) ?? "null")
      }
      rows.append(o + "}")
    }
    return "[" + rows.joined(separator: ",\n") + "]\n"
  }

  // MARK: walking the runs

  /// Every value: per run, split (train, eval), step ascending, keys in
  /// the order the run first logged them.
  private func forEachValue(
    _ body: (String, Split, Int, Double?, String, Double) -> Void
  ) {
    for run in runs {
      for split in Split.allCases {
        let keys = run.store.keys(split)
        let series = keys.map { run.store.series($0, split) ?? Series() }
        let times = run.store.times(split)
        var cursors = [Int](repeating: 0, count: keys.count)
        for step in Self.steps(series) {
          let time = times.value(exactlyAt: step)
          for k in keys.indices {
            let s = series[k]
            while cursors[k] < s.count && s.steps[cursors[k]] < step { cursors[k] += 1 }
            guard cursors[k] < s.count, s.steps[cursors[k]] == step else { continue }
            body(run.name, split, step, time, keys[k], s.values[cursors[k]])
          }
        }
      }
    }
  }

  /// A wide column: its name and where its values come from.
  private struct Column {
    var name: String
    var split: Split
    /// nil: the split's record time.
    var key: String?
  }

  /// time, the training keys, eval_time, the held-out keys (first seen
  /// over all runs).
  private func wideColumns() -> [Column] {
    var out: [Column] = []
    for split in Split.allCases {
      let prefix = split == .train ? "" : "eval_"
      var keys: [String] = []
      var seen: Set<String> = []
      for run in runs {
        for key in run.store.keys(split) where seen.insert(key).inserted { keys.append(key) }
      }
      guard !keys.isEmpty else { continue }
      out.append(Column(name: prefix + "time", split: split, key: nil))
      out += keys.map { Column(name: prefix + $0, split: split, key: $0) }
    }
    return out
  }

  private func forEachWideRow(_ columns: [Column], _ body: (String, Int, [Double?]) -> Void) {
    for run in runs {
      let series = columns.map { c in
        c.key.map { run.store.series($0, c.split) ?? Series() } ?? run.store.times(c.split)
      }
      var cursors = [Int](repeating: 0, count: columns.count)
      for step in Self.steps(series) {
        var cells: [Double?] = []
        for k in columns.indices {
          let s = series[k]
          while cursors[k] < s.count && s.steps[cursors[k]] < step { cursors[k] += 1 }
          cells.append(
            cursors[k] < s.count && s.steps[cursors[k]] == step ? s.values[cursors[k]] : nil)
        }
        // A step with only a record time and no value is no row.
        if zip(columns, cells).contains(where: { $0.key != nil && $1 != nil }) {
          body(run.name, step, cells)
        }
      }
    }
  }

  /// The union of the series' steps, ascending.
  private static func steps(_ series: [Series]) -> [Int] {
    var all = Set<Int>()
    for s in series { all.formUnion(s.steps) }
    return all.sorted()
  }

  // MARK: spelling

  /// A number as CSV text: shortest round-trip, or pandas' nan / inf / -inf.
  public static func csvNumber(_ v: Double) -> String {
    if v.isNaN { return "nan" }
    if v.isInfinite { return v > 0 ? "inf" : "-inf" }
    return v.description
  }

  /// A number as JSON text: shortest round-trip, or NaN / Infinity / -Infinity.
  public static func jsonNumber(_ v: Double) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v > 0 ? "Infinity" : "-Infinity" }
    return v.description
  }

  /// A CSV field, quoted when it holds a comma, quote, line break or
  /// leading/trailing space (RFC 4180: quotes doubled).
  public static func csvField(_ s: String) -> String {
    let needs =
      s.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
      || s.first == " " || s.last == " "
    guard needs else { return s }
    return "\"" + s.replacingAll("\"", with: "\"\"") + "\""
  }

  static func jsonString(_ s: String) -> String {
    var out = ""
    appendJSONString(s, to: &out)
    return out
  }
}

extension Series {
  /// The value logged at exactly `step`, if any.
  func value(exactlyAt step: Int) -> Double? {
    let i = firstIndex(atOrAfter: step)
    return i < count && steps[i] == step ? values[i] : nil
  }
}

extension String {
  /// `self` with every `target` replaced (no Foundation in RunLog's core).
  fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
    var out = ""
    for ch in self { if ch == target { out += replacement } else { out.append(ch) } }
    return out
  }
}

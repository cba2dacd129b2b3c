/// `dpotop summary --group-seeds`: runs that differ only in seed, as one
/// entry each — per metric and split, the mean, sample standard deviation,
/// minimum and maximum over seeds of each run's last finite value, and n.
public struct SeedGroupSummary: Sendable {
  /// One set of runs differing only in seed (or one run alone).
  public struct Group: Sendable {
    /// The cell's name: a member's name without its seed.
    public var name: String
    public var runs: [LoadedRun]
    public var rows: [Row]
  }

  /// One metric of one split over the group's runs.
  public struct Row: Sendable {
    public var split: Split
    public var key: String
    public var lastStep: Int
    public var stats: SeedStats
  }

  public let groups: [Group]

  /// Groups `runs` (in their order; a group sits where its first run was).
  public init(_ runs: [LoadedRun]) {
    var order: [String] = []
    var members: [String: [LoadedRun]] = [:]
    for (i, run) in runs.enumerated() {
      let key =
        run.manifest.flatMap { SeedCell.key($0, group: Self.directory(of: run.path)) }
        ?? "run\u{1F}\(i)"
      if members[key] == nil { order.append(key) }
      members[key, default: []].append(run)
    }
    groups = order.compactMap { key in
      guard let list = members[key], let first = list.first else { return nil }
      let name = first.manifest.map(SeedCell.name) ?? first.path
      return Group(name: name, runs: list, rows: Self.rows(list))
    }
  }

  static func directory(of path: String) -> String {
    var p = Substring(path)
    while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
    guard let slash = p.lastIndex(of: "/") else { return "." }
    return String(p[..<slash])
  }

  /// Per split and key (in first-seen order), the last finite values' statistics.
  static func rows(_ runs: [LoadedRun]) -> [Row] {
    var rows: [Row] = []
    for split in Split.allCases {
      var keys: [String] = []
      var seen: Set<String> = []
      for run in runs {
        for key in run.store.keys(split) where seen.insert(key).inserted { keys.append(key) }
      }
      for key in keys {
        var values: [Double] = []
        var lastStep = Int.min
        for run in runs {
          guard let s = run.store.series(key, split) else { continue }
          if let i = s.values.lastIndex(where: \.isFinite) {
            values.append(s.values[i])
            lastStep = max(lastStep, s.steps[i])
          }
        }
        guard let stats = SeedStats(values) else { continue }
        rows.append(Row(split: split, key: key, lastStep: lastStep, stats: stats))
      }
    }
    return rows
  }

  /// Human-readable text: per group its runs and seeds, then one row per metric.
  public func text() -> String {
    var out = ""
    for g in groups {
      let seeds = g.runs.compactMap { $0.manifest?.seed }.map(String.init)
      out += "group: \(visible(g.name))  n \(g.runs.count)"
      if !seeds.isEmpty { out += "  seeds \(seeds.joined(separator: ","))" }
      if let m = g.runs.first?.manifest {
        if let o = m.objective { out += "  objective \(visible(o))" }
        if let b = m.beta { out += "  beta \(fmt(b))" }
        if let l = m.lambda { out += "  lambda \(fmt(l))" }
        if let d = m.dataset { out += "  data \(visible(d.name))" }
      }
      out += "\n"
      for run in g.runs { out += "  run: \(visible(run.path))\n" }
      if g.rows.isEmpty {
        out += "  (no metrics yet)\n\n"
        continue
      }
      let keys = g.rows.map { visible($0.key) }
      let width = max(6, keys.map(\.count).max() ?? 6)
      out +=
        "  split  " + pad("metric", width)
        + "   n  last_step          mean            sd           min           max\n"
      for (r, key) in zip(g.rows, keys) {
        out +=
          "  " + pad(r.split.rawValue, 5) + "  " + pad(key, width) + lpad(String(r.stats.n), 4)
          + lpad(String(r.lastStep), 11) + lpad(fmt(r.stats.mean), 14) + lpad(fmt(r.stats.sd), 14)
          + lpad(fmt(r.stats.min), 14) + lpad(fmt(r.stats.max), 14) + "\n"
      }
      out += "\n"
    }
    return out
  }

  /// One JSON array with an object per group.
  public func json() -> String {
    var out = "["
    for (i, g) in groups.enumerated() {
      if i > 0 { out += ",\n" }
      out += "{\"name\":"
      appendJSONString(g.name, to: &out)
      out += ",\"n\":\(g.runs.count),\"runs\":["
      for (j, run) in g.runs.enumerated() {
        if j > 0 { out += "," }
        appendJSONString(run.path, to: &out)
      }
      out += "],\"seeds\":["
      out += g.runs.map { $0.manifest?.seed.map(String.init) ?? "null" }.joined(separator: ",")
      out += "]"
      if let m = g.runs.first?.manifest {
        out += ",\"objective\":"
        if let o = m.objective { appendJSONString(o, to: &out) } else { out += "null" }
        out += ",\"beta\":" + (m.beta.map(jsonNumber) ?? "null")
        out += ",\"lambda\":" + (m.lambda.map(jsonNumber) ?? "null")
      }
      out += ",\"metrics\":["
      for (j, r) in g.rows.enumerated() {
        if j > 0 { out += "," }
        out += "{\"split\":\"\(r.split.rawValue)\",\"key\":"
        appendJSONString(r.key, to: &out)
        out += ",\"n\":\(r.stats.n),\"last_step\":\(r.lastStep)"
        out += ",\"mean\":" + jsonNumber(r.stats.mean) + ",\"sd\":" + jsonNumber(r.stats.sd)
        out += ",\"min\":" + jsonNumber(r.stats.min) + ",\"max\":" + jsonNumber(r.stats.max) + "}"
      }
      out += "]}"
    }
    return out + "]"
  }
}

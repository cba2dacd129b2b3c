import RunLog

/// The dashboard state a figure is drawn from: runs loaded as the
/// dashboard loads them, marked and styled by the same keys a person
/// presses (`/` filter, `a` mark all, `C` compare view, `s` smoothing), so
/// a figure shows exactly what the screen would.
extension DashboardState {
  /// A state for figures of runs; `add` them, then `markForFigure`.
  public static func forFigures() -> DashboardState {
    DashboardState(
      config: DashboardConfig(
        glyphs: .braille, noColor: false, mode: .live, width: 200, height: 60, roots: ""))
  }

  /// Adds one run read whole (as `dpotop render` does).
  public mutating func addRun(
    id: String, kind: String, manifest: RunManifest, store: SeriesStore, badCount: Int = 0
  ) {
    _ = update(&self, .runUpdated(id: id, kind: kind, manifest: manifest))
    _ = update(
      &self, .metrics(id: id, delta: store, reset: true, badCount: badCount, recentBad: []))
  }

  /// Adds a run's probes (for the token view).
  public mutating func addProbes(id: String, log: ProbeLog) {
    _ = update(&self, .probes(id: id, log: log))
  }

  /// Marks the runs passing `filter` (the runs list's filter syntax) for
  /// the charts; compare view on, off, or (nil) when every marked run has
  /// a β and there are several; EMA smoothing when asked. Returns how many
  /// runs are marked.
  @discardableResult
  public mutating func markForFigure(filter: String?, compare: Bool?, smooth: Bool) -> Int {
    if let filter, !filter.isEmpty {
      _ = update(&self, .key(.char("/")))
      for ch in filter { _ = update(&self, .key(.char(ch))) }
      _ = update(&self, .key(.enter))
    }
    if !visible.isEmpty { _ = update(&self, .key(.char("a"))) }
    let marked = chartRuns
    let wantCompare =
      compare ?? (marked.count > 1 && marked.allSatisfy { $0.manifest.beta != nil })
    if wantCompare != compareStyle { _ = update(&self, .key(.char("C"))) }
    if smooth != smoothing { _ = update(&self, .key(.char("s"))) }
    return selected.count
  }

  /// Marks exactly the runs with these ids (a report's group).
  public mutating func mark(ids: [String], compare: Bool) {
    selected = Set(ids.filter { run($0) != nil })
    if compare != compareStyle { _ = update(&self, .key(.char("C"))) }
  }

  /// Every key the marked runs log (either split), in first-seen order.
  public var chartKeys: [String] {
    var out: [String] = []
    var seen: Set<String> = []
    for run in chartRuns {
      for split in Split.allCases {
        for key in run.data.keys[split] ?? [] where seen.insert(key).inserted { out.append(key) }
      }
    }
    return out
  }
}

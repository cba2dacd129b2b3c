/// How the charts tell the chart runs apart, in one place: the charts'
/// lines and legends, the runs pane's swatches and figures all ask here.
///
/// Several runs: each run its own colour, kept while others are marked or
/// unmarked (`DashboardState.runSlots`); past the palette's eight colours a
/// run's lines are also dashed. Without colour a run is its glyph. The
/// compare view colours by β instead (dash by objective).
struct RunLooks {
  let multi: Bool
  let compare: Bool
  let noColor: Bool
  /// The chart runs' β values and objectives, sorted (the compare view's keys).
  let betas: [Double]
  let objectives: [String]
  private let slots: [String: Int]

  init(_ state: DashboardState) {
    let runs = state.chartRuns
    multi = runs.count > 1
    noColor = state.config.noColor
    compare = state.compareStyle && multi && !noColor
    betas = Array(Set(runs.compactMap(\.manifest.beta))).sorted()
    objectives = Array(Set(runs.map { $0.manifest.objective ?? "?" })).sorted()
    if state.selected.isEmpty {
      // The cursor's runs (a seed line, a header's group): by list order.
      var s: [String: Int] = [:]
      for (i, run) in runs.enumerated() where s[run.id] == nil { s[run.id] = i }
      slots = s
    } else {
      slots = state.runSlots
    }
  }

  /// The run's slot: its colour is `.series(slot)`, its glyph `marker(slot)`.
  func slot(_ id: String) -> Int? { slots[id] }

  /// A run's glyph (ASCII charts draw it; without colour it is the run).
  static func marker(_ slot: Int) -> Character { asciiMarkers[slot % asciiMarkers.count] }

  /// The dash of line kind `kind` of the run in `slot`: the kind's, shifted
  /// once per palette lap so runs sharing a colour differ.
  static func pattern(kind: Int, slot: Int) -> DashPattern {
    DashPattern.number(kind + slot / Theme.seriesCount)
  }

  /// The compare view's colour of a run (by β).
  func betaColor(_ run: RunEntry) -> ColorRole {
    .series(run.manifest.beta.flatMap { betas.firstIndex(of: $0) } ?? betas.count)
  }

  /// What the runs pane shows beside a charted run when several are
  /// charted: a dot in its colour (β's in the compare view), or its glyph
  /// without colour; nil for a run not charted.
  func swatch(_ run: RunEntry, ascii: Bool) -> Cell? {
    guard multi, let slot = slots[run.id] else { return nil }
    if noColor { return Cell(Self.marker(slot), Style(.normal, bold: true)) }
    if compare { return Cell(ascii ? "*" : "●", Style(betaColor(run), bold: true)) }
    // A second lap of the palette: same colours, dashed lines, a hollow dot.
    let lap = slot / Theme.seriesCount % 2 == 1
    let glyph: Character = ascii ? (lap ? "o" : "*") : (lap ? "○" : "●")
    return Cell(glyph, Style(.series(slot), bold: true))
  }
}

extension DashboardState {
  /// Gives each newly marked run the lowest free slot and takes back the
  /// slots of unmarked ones, so marking or unmarking a run never recolours
  /// another (called after every message, like `syncSmoothing`).
  mutating func syncRunSlots() {
    if runSlots.count == selected.count, runSlots.keys.allSatisfy(selected.contains) { return }
    runSlots = runSlots.filter { selected.contains($0.key) }
    var used = Set(runSlots.values)
    var next = 0
    // List order, so marking several at once (`a`) colours them top down.
    for run in runs where selected.contains(run.id) && runSlots[run.id] == nil {
      while used.contains(next) { next += 1 }
      runSlots[run.id] = next
      used.insert(next)
    }
  }
}

import RunLog

/// One line of a chart: which data, and how it looks.
struct ChartLine {
  var data: PlotSeries
  var style: Style
  var pattern: DashPattern
  var marker: Character
  /// Which run(s) and line this is ("dpo-b0.1-s1 held-out"): figures name
  /// each drawn line (a tooltip, and what their tests count).
  var name = ""
  /// The unsmoothed series while smoothing is on (one run's line): the
  /// inspect cursor shows both values.
  var raw: PlotSeries?
}

/// One legend entry: a sample of a line's look and its label.
struct LegendEntry: Equatable {
  var style: Style
  var pattern: DashPattern
  var marker: Character
  var label: String
  /// A sample of a seed band (a filled block) rather than of a line.
  var band = false
  /// The entry names a run (several runs charted): the runs pane's swatch
  /// names it too.
  var run = false
  /// A count of non-finite points: the sample is their marker.
  var nonFinite: NonFinite?
}

/// Everything needed to draw one chart, derived from the state.
struct ChartModel {
  var title: String
  /// Extra words for the title ("derived", "EMA 0.6", "log n/a").
  var notes: [String] = []
  /// Lines in drawing order: dim reference lines first, held-out last (on top).
  var lines: [ChartLine] = []
  /// Min–max bands of seed lines (compare view), drawn under every line.
  var bands: [ChartBand] = []
  var legend: [LegendEntry] = []
  /// Where the runs left out of a full legend are named ("see runs pane").
  var legendOverflow: String?
  /// Steps shown (nil: no data).
  var steps: ClosedRange<Int>?
  /// Draw and label y = 0.
  var zeroLine = false
  /// Plot log10 of the values (only when every value shown is > 0).
  var logScale = false
  /// Fit the y range to the 5th–95th percentile of what is on screen.
  var clipOutliers = false
  /// The inspect cursor's step (nil: off), in x-axis units.
  var cursor: Int?
  /// The cursor box's first row (`step 120`, `step 120  4m05s`).
  var cursorLabel = ""
  /// What the x axis measures; `steps` and the lines' steps are in its units.
  var xAxis = XAxis.step
  /// What an empty chart says ("no data" when nil).
  var emptyNote: String?
}

/// How one kind of line is found in a run.
struct LineSpec {
  var label: String
  /// Line kind within the chart (chosen 0, rejected 1, margin 2, ...).
  var kind: Int
  var dim = false
  /// A held-out series: drawn over the training ones.
  var heldOut = false
  /// Which line the compare view (one line per run) picks: the lowest with data.
  var compareRank: Int? = nil
  var source: (RunData, Bool) -> PlotSeries?
}

/// Markers for ASCII charts, in the order lines get them.
let asciiMarkers: [Character] = ["*", "+", "o", "x", "#", "%", "@", "="]

extension ChartKind {
  var specs: [LineSpec] {
    func raw(_ key: String, _ split: Split = .train) -> (RunData, Bool) -> PlotSeries? {
      { data, smooth in data.plot(SeriesID(key, split), smooth: smooth) }
    }
    switch self {
    case .logps:
      return [
        LineSpec(label: "ref chosen", kind: 0, dim: true, source: raw(MetricKey.logpsRefChosen)),
        LineSpec(
          label: "ref rejected", kind: 1, dim: true, source: raw(MetricKey.logpsRefRejected)),
        LineSpec(label: "chosen", kind: 0, source: raw(MetricKey.logpsChosen)),
        LineSpec(label: "rejected", kind: 1, source: raw(MetricKey.logpsRejected)),
      ]
    case .chosenLogRatio:
      // The compare view's one line per run is the held-out one, as in its table.
      return [
        LineSpec(label: "train", kind: 0, compareRank: 1) { d, s in d.logRatio(.train, smooth: s) },
        LineSpec(label: "held-out", kind: 1, heldOut: true, compareRank: 0) { d, s in
          d.logRatio(.eval, smooth: s)
        },
      ]
    case .rewards:
      return [
        LineSpec(label: "margin", kind: 2, source: raw(MetricKey.rewardsMargins)),
        LineSpec(label: "rejected", kind: 1, source: raw(MetricKey.rewardsRejected)),
        LineSpec(label: "chosen", kind: 0, source: raw(MetricKey.rewardsChosen)),
      ]
    case .penalty:
      return [LineSpec(label: "penalty", kind: 0, source: raw(MetricKey.dpopPenalty))]
    case .loss:
      return [
        LineSpec(label: "train", kind: 0, source: raw(MetricKey.loss)),
        LineSpec(label: "held-out", kind: 1, heldOut: true, source: raw(MetricKey.loss, .eval)),
      ]
    case .accuracy:
      return [
        LineSpec(label: "reward acc", kind: 0, source: raw(MetricKey.rewardsAccuracies)),
        LineSpec(label: "held-out", kind: 1, heldOut: true) { d, s in
          d.plot(SeriesID(MetricKey.taskAccuracy, .eval), smooth: s)
            ?? d.plot(SeriesID(MetricKey.rewardsAccuracies, .eval), smooth: s)
        },
      ]
    case .likelihoodSplit:
      return [
        LineSpec(label: "prefix", kind: 0) { d, _ in d.prefixLogRatio },
        LineSpec(label: "from edit", kind: 1) { d, _ in d.fromEditLogRatio },
        LineSpec(label: "whole", kind: 2) { d, s in d.logRatio(.eval, smooth: s) },
      ]
    case .squeezing:
      return [
        LineSpec(label: "greedy", kind: 0) { d, _ in d.greedyLogRatio },
        LineSpec(label: "chosen", kind: 1) { d, s in d.logRatio(.eval, smooth: s) },
        LineSpec(label: "rejected", kind: 2) { d, _ in d.rejectedLogRatio },
      ]
    case .sharpening:
      // Accuracies in percent so they share one axis with the log-ratio in
      // nats (DPO moves it by tens); the compare view draws best-of-N's.
      return [
        LineSpec(label: "bon %", kind: 0, heldOut: true) { d, _ in
          d.percent(MetricKey.bonAccuracy)
        },
        LineSpec(label: "greedy %", kind: 1, heldOut: true) { d, _ in
          d.percent(MetricKey.taskAccuracy)
        },
        LineSpec(label: "sample %", kind: 2, heldOut: true) { d, _ in
          d.percent(MetricKey.sampleAccuracy)
        },
        LineSpec(label: "bon log-ratio", kind: 3, heldOut: true) { d, _ in d.bestOfNLogRatio },
      ]
    }
  }

  /// The chart of this kind for the state's chart runs.
  ///
  /// How lines are told apart: one run — colour per line kind; several runs
  /// — colour per run, dash/marker per kind; compare style — colour per β,
  /// dash per objective, one line per run (runs differing only in seed: one
  /// mean line over a min–max band); no colour — every line its own
  /// dash/marker, each in the legend. Held-out lines are drawn last, on top.
  func model(_ state: DashboardState) -> ChartModel {
    let runs = state.chartRuns
    var notes: [String] = []
    if self == .chosenLogRatio, runs.contains(where: { $0.data.logRatioFromRewards }) {
      notes.append("derived: rewards/beta")
    }
    return ChartModel.build(
      title: title, specs: specs, zeroLine: self == .chosenLogRatio || needsProbeMetrics,
      notes: notes, emptyNote: needsProbeMetrics ? "not logged" : nil,
      logged: { !needsProbeMetrics || hasProbeMetrics($0) }, state: state)
  }
}

extension ChartModel {
  /// The chart of `specs` for the state's chart runs (any chart: the
  /// dashboard's kinds, and figures of any logged key). `logged` says which
  /// runs have what the chart needs; when none has, it shows `emptyNote`.
  static func build(
    title: String, specs: [LineSpec], zeroLine: Bool, notes: [String], emptyNote: String?,
    logged isLogged: (RunData) -> Bool, state: DashboardState
  ) -> ChartModel {
    var m = ChartModel(title: title, notes: notes)
    m.zeroLine = zeroLine
    let runs = state.chartRuns
    let looks = RunLooks(state)
    let multi = looks.multi
    let noColor = looks.noColor
    let compare = looks.compare
    let betas = looks.betas
    let objectives = looks.objectives
    var lo = Int.max
    var hi = Int.min
    var kindsSeen: [Int: String] = [:]
    var lineNumber = 0
    var hasReference = false
    var seedCounts: Set<Int> = []
    var dimLines: [ChartLine] = []
    var trainLines: [ChartLine] = []
    var heldOutLines: [ChartLine] = []
    // The whole log-ratio alone would look like data: these charts need their own keys.
    let logged = Set(runs.filter { isLogged($0.data) }.map(\.id))
    if logged.isEmpty && !runs.isEmpty { m.emptyNote = emptyNote }
    // The compare view: each unit is one run, or the runs that differ only in seed.
    let units: [[RunEntry]] =
      state.compareStyle && multi ? ChartKind.seedUnits(runs) : runs.map { [$0] }
    let comparePicks = specs.filter { !$0.dim }.sorted {
      ($0.compareRank ?? $0.kind) < ($1.compareRank ?? $1.kind)
    }
    // Another x axis than steps: each run's points placed at their time or
    // token count; runs that do not log it are left out and counted.
    var maps: [String: XAxisMap] = [:]
    var unmapped = 0
    if state.xAxis != .step {
      for run in runs where logged.contains(run.id) {
        if let map = state.xAxisMap(run) { maps[run.id] = map } else { unmapped += 1 }
      }
    }
    for (r, everyRun) in units.enumerated() {
      let unit = everyRun.filter { logged.contains($0.id) }
      guard let run = unit.first else { continue }
      let map = maps[run.id]
      if state.xAxis != .step && map == nil { continue }
      var runHasLine = false
      let chosen: [LineSpec]
      if state.compareStyle && multi {
        // One line per unit: the first pick any of its runs has data for.
        chosen =
          comparePicks.first { spec in
            unit.contains { spec.source($0.data, state.smoothing).map { $0.count > 0 } ?? false }
          }.map { [$0] } ?? []
      } else {
        chosen = specs
      }
      for spec in chosen {
        var data: PlotSeries
        var band: SeedAggregate?
        if unit.count > 1 {
          guard
            let agg = SeedAggregate(
              unit.compactMap { spec.source($0.data, state.smoothing) }.filter { $0.count > 0 })
          else { continue }
          data = agg.mean
          band = agg
        } else {
          guard let d = spec.source(run.data, state.smoothing), d.count > 0 else { continue }
          data = d
        }
        // The raw series beside a smoothed one, for the cursor box.
        var raw = unit.count == 1 && state.smoothing ? spec.source(run.data, false) : nil
        if let map {
          raw = raw.map(map.remap)
          data = map.remap(data)
          if var b = band {
            b.low = map.remap(b.low)
            b.high = map.remap(b.high)
            band = b
          }
        }
        runHasLine = true
        let look: Int
        let role: ColorRole
        // A run's slot keeps its colour (and glyph) while others are marked or unmarked.
        let slot = looks.slot(run.id) ?? r
        var pattern: DashPattern?
        if noColor {
          (look, role) = (lineNumber, .normal)
        } else if compare {
          (look, role) = (
            objectives.firstIndex(of: run.manifest.objective ?? "?") ?? 0, looks.betaColor(run)
          )
        } else if multi {
          (look, role) = (spec.kind, .series(slot))
          pattern = RunLooks.pattern(kind: spec.kind, slot: slot)
        } else {
          (look, role) = (0, .series(spec.kind))
        }
        // Without colour, several runs' lines carry their run's glyph (its swatch).
        let marker: Character =
          spec.dim && !noColor
          ? "."
          : noColor && multi
            ? RunLooks.marker(slot)
            : asciiMarkers[(noColor || compare ? look : spec.kind) % asciiMarkers.count]
        let unitName =
          unit.count > 1
          ? "\(SeedCell.name(run.manifest)) mean of \(unit.count)" : run.manifest.name
        let line = ChartLine(
          data: data, style: Style(role, dim: spec.dim),
          pattern: pattern ?? DashPattern.number(look),
          marker: marker, name: "\(unitName) \(spec.label)", raw: raw)
        if spec.dim {
          dimLines.append(line)
        } else if spec.heldOut {
          heldOutLines.append(line)
        } else {
          trainLines.append(line)
        }
        if let band {
          m.bands.append(ChartBand(low: band.low, high: band.high, style: Style(role, dim: true)))
          seedCounts.insert(unit.count)
        }
        lineNumber += 1
        if let f = data.points.steps.first { lo = min(lo, f) }
        if let l = data.points.lastStep { hi = max(hi, l) }
        if noColor || (!multi && !spec.dim) {
          let name = multi ? "\(unitName) \(spec.label)" : spec.label
          m.legend.append(
            LegendEntry(
              style: line.style, pattern: line.pattern, marker: line.marker, label: name))
        } else if spec.dim {
          hasReference = true
        } else {
          kindsSeen[spec.kind] = spec.label
        }
      }
      if multi && !noColor && !compare && runHasLine {
        let slot = looks.slot(run.id) ?? r
        m.legend.append(
          LegendEntry(
            style: Style(.series(slot)), pattern: RunLooks.pattern(kind: 0, slot: slot),
            marker: "*", label: run.manifest.name, run: true))
      }
    }
    // References under everything, held-out over the training lines.
    m.lines = dimLines + trainLines + heldOutLines
    if compare {
      let beta = state.config.glyphs == .ascii ? "beta" : "β"
      for (i, b) in betas.enumerated() {
        m.legend.append(
          LegendEntry(
            style: Style(.series(i)), pattern: DashPattern.number(0), marker: "*",
            label: "\(beta)=\(NumberFormat.compact(b))"))
      }
      for (i, o) in objectives.enumerated() where objectives.count > 1 {
        m.legend.append(
          LegendEntry(
            style: .plain, pattern: DashPattern.number(i),
            marker: asciiMarkers[i % asciiMarkers.count], label: o))
      }
    } else if multi && !noColor && kindsSeen.count > 1 {
      for (k, label) in kindsSeen.sorted(by: { $0.key < $1.key }) {
        m.legend.append(
          LegendEntry(
            style: .plain, pattern: DashPattern.number(k),
            marker: asciiMarkers[k % asciiMarkers.count], label: label))
      }
    }
    if !seedCounts.isEmpty {
      let n = seedCounts.count == 1 ? "\(seedCounts.first ?? 0) seeds" : "seeds"
      m.legend.append(
        LegendEntry(
          style: Style(.normal, dim: true), pattern: DashPattern.number(0),
          marker: ChartBand.asciiGlyph, label: "min-max, \(n)", band: true))
    }
    if hasReference {
      m.legend.append(
        LegendEntry(
          style: Style(.normal, dim: true), pattern: DashPattern.number(0), marker: ".",
          label: "ref"))
    }
    // The legend reads better with the dim entries last.
    m.legend = m.legend.filter { !$0.style.dim } + m.legend.filter { $0.style.dim }
    // Runs a full legend leaves out are named by their swatches.
    if m.legend.contains(where: \.run) { m.legendOverflow = "see runs pane" }
    if state.compareStyle && multi, let pick = comparePicks.first, pick.heldOut {
      m.notes.append(pick.label)
    }
    if state.smoothing { m.notes.append("EMA \(NumberFormat.fixed(state.smoothingWeight, 2))") }
    if unmapped > 0 && !maps.isEmpty {
      m.notes.append("\(unmapped) without \(state.xAxis == .tokens ? "tokens" : "times")")
    }
    if state.xAxis != .step && maps.isEmpty && !logged.isEmpty {
      m.emptyNote =
        state.xAxis == .tokens
        ? "no tokens logged: X for steps" : "no times logged: X for steps"
    }
    guard lo <= hi else { return m }
    // Steps from other trainers' files can be anything; keep the axis
    // arithmetic far from Int overflow and exact in Double.
    lo = max(lo, -ChartKind.stepLimit)
    hi = min(max(hi, lo), ChartKind.stepLimit)
    // Replay and the cursor move in steps: on another axis, at the x of
    // the first chart run's step.
    let toX: (Int) -> Int = { step in
      runs.lazy.compactMap { maps[$0.id] }.first.map { $0.x(at: step) } ?? step
    }
    if let cut = state.replayStep { hi = min(hi, max(toX(cut), lo)) }
    m.steps = ChartKind.window(lo...hi, zoom: state.zoom, panStart: state.panStart)
    m.logScale = state.logScale
    m.xAxis = state.xAxis
    if let step = state.cursorStep {
      m.cursor = toX(step)
      m.cursorLabel = "step " + NumberFormat.step(step)
      if state.xAxis != .step, let x = m.cursor {
        m.cursorLabel += "  " + XAxisMap.label(x, axis: state.xAxis, span: hi - lo)
      }
    }
    m.clipOutliers = state.clipOutliers
    if state.clipOutliers { m.notes.append("5-95%") }
    if let steps = m.steps { m.legend = nonFiniteLegend(m.lines, steps) + m.legend }
    return m
  }
}

extension ChartModel {
  /// Legend entries counting the NaN, +Inf and -Inf points of `lines` in
  /// `steps` (first in the legend: where a run blew up is news).
  static func nonFiniteLegend(_ lines: [ChartLine], _ steps: ClosedRange<Int>) -> [LegendEntry] {
    var counts = [Int](repeating: 0, count: NonFinite.allCases.count)
    for line in lines where line.data.hasNonFinite {
      let values = line.data.points.values
      for k in line.data.nonFiniteSpan(in: steps) {
        if let kind = NonFinite(values[line.data.nonFinite[k]]) { counts[kind.rawValue] += 1 }
      }
    }
    return NonFinite.allCases.filter { counts[$0.rawValue] > 0 }.map { kind in
      LegendEntry(
        style: NonFinite.style, pattern: DashPattern.number(0), marker: kind.glyph(ascii: true),
        label: "\(kind.label) \(counts[kind.rawValue])", nonFinite: kind)
    }
  }
}

extension ChartKind {
  /// `runs` as the compare view draws them: runs that differ only in seed
  /// (same group, settings and name but for the seed) together, in order.
  static func seedUnits(_ runs: [RunEntry]) -> [[RunEntry]] {
    var order: [String] = []
    var units: [String: [RunEntry]] = [:]
    for (i, run) in runs.enumerated() {
      let group = RunGroup.key(id: run.id, manifest: run.manifest).key
      let key = SeedCell.key(run.manifest, group: group) ?? "run\u{1F}\(i)"
      if units[key] == nil { order.append(key) }
      units[key, default: []].append(run)
    }
    return order.compactMap { units[$0] }
  }

  /// Whether `data` logs what this chart needs besides the chosen log-ratio.
  private func hasProbeMetrics(_ data: RunData) -> Bool {
    switch self {
    case .likelihoodSplit: return data.series[SeriesID(MetricKey.logpsChosenPrefix, .eval)] != nil
    case .squeezing: return data.series[SeriesID(MetricKey.logpsGreedy, .eval)] != nil
    case .sharpening: return data.series[SeriesID(MetricKey.bonLogps, .eval)] != nil
    default: return true
    }
  }

  /// Largest step magnitude charts draw (2^52).
  static let stepLimit = 1 << 52

  /// The zoomed and panned part of `full`.
  static func window(_ full: ClosedRange<Int>, zoom: Int, panStart: Double) -> ClosedRange<Int> {
    guard zoom > 0 else { return full }
    let span = Double(full.upperBound - full.lowerBound)
    let width = span / Double(1 << zoom)
    let a = full.lowerBound + Int((panStart * span).rounded(.down))
    let b = min(full.upperBound, a + max(1, Int(width.rounded(.up))))
    return min(a, b)...b
  }
}

extension ChartModel {
  /// The finite min/max of every line and band over `steps`, 0 included when
  /// the chart has a zero line; nil when nothing is finite there. The one
  /// range the terminal chart and the SVG figure both start from.
  func valueRange(over steps: ClosedRange<Int>) -> (Double, Double)? {
    var lo = Double.infinity
    var hi = -Double.infinity
    for line in lines {
      if let r = line.data.valueRange(in: steps) {
        lo = min(lo, r.min)
        hi = max(hi, r.max)
      }
    }
    for band in bands {
      if let r = band.low.valueRange(in: steps) { lo = min(lo, r.min) }
      if let r = band.high.valueRange(in: steps) { hi = max(hi, r.max) }
    }
    if zeroLine {
      lo = min(lo, 0)
      hi = max(hi, 0)
    }
    return lo <= hi ? (lo, hi) : nil
  }
}

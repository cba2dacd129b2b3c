import RunLog
import Testing

@testable import Dashboard

/// NaN and ±Inf are shown, not dropped (issue 30 item 5).
@Suite struct NonFiniteTests {
  /// The loss chart of the run whose loss went -Inf at step 80 and NaN at 85
  /// (and grad_norm NaN at 60, +Inf at 70), alone, enlarged on the metrics screen.
  static func enlarged(_ key: String, ascii: Bool = false) -> DashboardState {
    var s = MetricsFixtures.twoRuns(
      width: 120, height: 30, config: DashboardConfig(glyphs: ascii ? .ascii : .braille),
      nonFinite: true)
    _ = update(&s, .key(.char("/")))
    for c in "^\(key)$" { _ = update(&s, .key(.char(c))) }
    _ = update(&s, .key(.enter))
    _ = update(&s, .key(.enter))
    return s
  }

  @Test func markersSitAtTheirStepsOnTheChartsEdgesAndTheLegendCountsThem() {
    let s = Self.enlarged("grad_norm")
    let g = render(s)
    expectSnapshot(g, "non-finite-grad-norm")
    expectAlignedAndClean(g)
    let text = g.plainText.split(separator: "\n").map(String.init)
    // Top plot row (below the two header rows and the chart's border): NaN
    // at step 60, +Inf at 70.
    let top = text[3]
    #expect(top.contains("×") && top.contains("▲"), "\(top)")
    let nan = top.distance(from: top.startIndex, to: top.firstIndex(of: "×")!)
    let inf = top.distance(from: top.startIndex, to: top.firstIndex(of: "▲")!)
    // Steps 0...99 over the plot's columns: 10 steps apart is a tenth of it.
    let plotWidth = 120 - 2 - ChartView.labelWidth - 1
    #expect(abs((inf - nan) - plotWidth * 10 / 99) <= 1, "\(nan) \(inf)")
    #expect(g.plainText.contains("NaN 1") && g.plainText.contains("+Inf 1"))
    #expect(g[nan, 3].style.role == .bad)
  }

  @Test func minusInfinityGoesToTheBottomEdgeAndASCIIHasItsOwnGlyphs() {
    let s = Self.enlarged("loss", ascii: true)
    let g = render(s)
    #expect(g.plainText.contains("-Inf 1") && g.plainText.contains("NaN 1"))
    let rows = g.plainText.split(separator: "\n").map(String.init)
    let axis = rows.firstIndex { $0.contains("+---") }!
    #expect(rows[axis - 1].contains("v"), "\(rows[axis - 1])")
    #expect(rows[3].contains("?"))
  }

  @Test func replayBeforeTheBlowUpShowsNone() {
    var s = Self.enlarged("grad_norm")
    _ = update(&s, .seek(step: 50))
    #expect(!render(s).plainText.contains("×"))
    #expect(!render(s).plainText.contains("NaN"))
  }

  @Test func aRunWhoseLossWentNonFiniteIsMarkedDivergedAndFilterable() {
    var s = MetricsFixtures.twoRuns(width: 120, height: 40, nonFinite: true)
    _ = update(&s, .key(.char("M")))
    #expect(s.runs.map { $0.diverged() } == [true, false])
    let g = render(s)
    let row = g.plainText.split(separator: "\n").first { $0.contains("dpo-b0.1 ") }!
    #expect(row.hasPrefix("│●✗") || row.hasPrefix("│●✗"), "\(row)")
    // Not yet at step 79.
    #expect(!s.runs[0].diverged(asOf: 79))
    #expect(s.runs[0].diverged(asOf: 80))
    _ = update(&s, .key(.char("/")))
    for c in "diverged" { _ = update(&s, .key(.char(c))) }
    _ = update(&s, .key(.enter))
    #expect(s.visible.map { s.runs[$0].manifest.name } == ["dpo-b0.1"])
    expectSnapshot(render(s), "diverged-filter")
  }

  @Test func theNonFiniteIndexFollowsAppendsAndSupersededTails() {
    var p = PlotSeries()
    p.append(steps: [0, 1, 2, 3], values: [1, .nan, 2, .infinity])
    #expect(p.nonFinite == [1, 3])
    // A resumed run rewrites from step 2 on.
    p.append(steps: [2, 3], values: [5, 6])
    #expect(p.nonFinite == [1])
    p.append(steps: [4], values: [-.infinity])
    #expect(p.nonFinite == [1, 4])
    #expect(p.nonFiniteSpan(in: 2...4) == 1..<2)
  }
}

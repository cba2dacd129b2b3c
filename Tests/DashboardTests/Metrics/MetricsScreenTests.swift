import RunLog
import Testing

@testable import Dashboard

/// The metrics screen: a chart per logged key of the chart runs (issue 30 item 1).
@Suite struct MetricsScreenTests {
  @Test(arguments: [(80, 24), (120, 40), (200, 50)])
  func gridFillsTheTerminal(size: (Int, Int)) {
    let s = MetricsFixtures.twoRuns(width: size.0, height: size.1)
    #expect(s.screen == .metrics)
    let g = render(s)
    expectSnapshot(g, "metrics-\(size.0)x\(size.1)")
    expectAlignedAndClean(g)
    let layout = MetricsLayout(s)
    #expect(layout.columns == size.0 / 40)
    #expect(layout.rows == (size.1 - 2) / 10)
  }

  @Test func withoutColourAndInASCII() {
    let noColor = MetricsFixtures.twoRuns(
      width: 120, height: 40, config: DashboardConfig(noColor: true))
    expectSnapshot(render(noColor), "metrics-no-color")
    let ascii = MetricsFixtures.twoRuns(
      width: 120, height: 40, config: DashboardConfig(glyphs: .ascii))
    let g = render(ascii)
    expectSnapshot(g, "metrics-ascii")
    #expect(g.plainText.unicodeScalars.allSatisfy { $0.isASCII })
  }

  @Test func keysAreSortedByNameGroupedByPrefixTrainAndHeldOutTogether() {
    let s = MetricsFixtures.twoRuns(width: 120, height: 40)
    let keys = s.metricKeys.map(\.key)
    // Keys without a prefix first, then each group together.
    #expect(keys.first == "grad_norm")
    #expect(keys.contains("rewards/margins") && keys.contains("logps/chosen"))
    let groups = s.metricKeys.map(\.group)
    #expect(groups == groups.sorted())
    // One chart for the loss: its train and held-out lines.
    #expect(keys.filter { $0 == MetricKey.loss }.count == 1)
    let m = ChartModel.key(MetricKey.loss, s)
    #expect(m.lines.contains { $0.name.hasSuffix("held-out") })
    #expect(m.lines.contains { $0.name.hasSuffix("train") })
  }

  @Test func constantKeysAndKeysLoggedOnceSaySo() {
    var s = MetricsFixtures.twoRuns(width: 120, height: 40)
    _ = update(&s, .key(.char("/")))
    for c in "learning_rate|train_runtime" { _ = update(&s, .key(.char(c))) }
    _ = update(&s, .key(.enter))
    #expect(s.metricKeys.map(\.key) == ["learning_rate", "train_runtime"])
    let text = render(s).plainText
    #expect(text.contains("constant 5"), "\(text)")
    #expect(text.contains("logged once: 1234.5 at step 99"), "\(text)")
  }

  @Test func theKeyFilterIsTypedInPlaceRegexOrGlob() {
    var s = MetricsFixtures.twoRuns(width: 120, height: 40)
    _ = update(&s, .key(.char("/")))
    #expect(s.metrics.editingFilter)
    for c in "^logits/" { _ = update(&s, .key(.char(c))) }
    // Refiltered at each key, shown in the header while typed.
    #expect(s.metricKeys.map(\.key) == ["logits/chosen", "logits/rejected"])
    #expect(render(s).plainText.contains("keys: /^logits/_"))
    _ = update(&s, .key(.enter))
    #expect(!s.metrics.editingFilter)
    // Not a valid regex: a glob.
    _ = update(&s, .key(.char("/")))
    for _ in 0..<8 { _ = update(&s, .key(.backspace)) }
    for c in "*norm" { _ = update(&s, .key(.char(c))) }
    _ = update(&s, .key(.enter))
    #expect(s.metricKeys.map(\.key) == ["grad_norm"])
    #expect(render(s).plainText.contains("(glob)"))
    // Esc clears the filter, then leaves the screen.
    _ = update(&s, .key(.escape))
    #expect(s.metrics.filter.isEmpty && s.screen == .metrics)
    _ = update(&s, .key(.escape))
    #expect(s.screen == .main)
  }

  @Test func enterEnlargesWithTheDPOChartsZoomSmoothingLogScaleAndReplay() {
    var s = MetricsFixtures.twoRuns(width: 120, height: 40)
    _ = update(&s, .key(.char("/")))
    for c in "grad_norm" { _ = update(&s, .key(.char(c))) }
    _ = update(&s, .key(.enter))
    _ = update(&s, .key(.enter))
    #expect(s.metrics.enlarged)
    for k in [Key.char("z"), .char("s"), .char("L")] { _ = update(&s, .key(k)) }
    #expect(s.zoom == 1 && s.smoothing && s.logScale)
    let m = ChartModel.key("grad_norm", s)
    #expect(m.steps.map { $0.upperBound - $0.lowerBound } == 50)
    #expect(m.notes.contains { $0.hasPrefix("EMA") })
    _ = update(&s, .key(.char("0")))
    _ = update(&s, .seek(step: 30))
    #expect(s.screen == .metrics)
    #expect(ChartModel.key("grad_norm", s).steps?.upperBound == 30)
    let g = render(s)
    expectSnapshot(g, "metrics-enlarged")
    expectAlignedAndClean(g)
    _ = update(&s, .key(.escape))
    #expect(!s.metrics.enlarged && s.screen == .metrics)
  }

  @Test func focusMovesAcrossTheGridAndPages() {
    var s = MetricsFixtures.manyKeys(500, width: 200, height: 50)
    #expect(s.metricKeys.count == 500)
    let layout = MetricsLayout(s)
    #expect(layout.columns == 5 && layout.rows == 4)
    expectSnapshot(render(s), "metrics-500-keys")
    _ = update(&s, .key(.pageDown))
    #expect(s.metrics.focus == 20)
    _ = update(&s, .key(.down))
    _ = update(&s, .key(.right))
    #expect(s.metrics.focus == 26)
    #expect(render(s).plainText.contains("21-40 of 500 keys  page 2/25"))
    _ = update(&s, .key(.char("G")))
    #expect(render(s).plainText.contains("page 25/25"))
    // Settable columns.
    _ = update(&s, .key(.char("{")))
    #expect(MetricsLayout(s).columns == 4)
    _ = update(&s, .key(.char("}")))
    _ = update(&s, .key(.char("}")))
    #expect(MetricsLayout(s).columns == 6)
  }

  @Test func aRunWithNaNAndInfinityDrawsItsFiniteValues() {
    let s = MetricsFixtures.twoRuns(width: 120, height: 40, nonFinite: true)
    let g = render(s)
    expectSnapshot(g, "metrics-non-finite")
    expectAlignedAndClean(g)
  }

  @Test func helpListsTheKey() {
    #expect(HelpOverlay.keys.contains { $0.0 == "M" })
    var s = Fixtures.twoRuns()
    _ = update(&s, .key(.char("M")))
    #expect(s.screen == .metrics)
    _ = update(&s, .key(.char("M")))
    #expect(s.screen == .main)
  }
}

import RunLog
import Testing

@testable import Dashboard

@Suite struct ChartViewTests {
  static func model(_ series: Series, zero: Bool = false) -> ChartModel {
    var m = ChartModel(title: "t")
    m.lines = [
      ChartLine(
        data: PlotSeries(series), style: Style(.series(0)), pattern: .number(0), marker: "*")
    ]
    m.steps = (series.steps.first ?? 0)...(series.lastStep ?? 0)
    m.zeroLine = zero
    return m
  }

  /// The rows of the plot area that hold at least one dot.
  static func dottedRows(_ g: CellGrid) -> [Int] {
    (0..<g.height).filter { y in
      (0..<g.width).contains { x in
        let v = g[x, y].char.unicodeScalars.first?.value ?? 0
        return v > 0x2800 && v <= 0x28FF
      }
    }
  }

  @Test func aSingleSpikeAmongManyPointsStaysVisible() {
    let n = 200_000
    var values = [Double](repeating: 0, count: n)
    values[123_457] = 10
    let s = Series(steps: Array(0..<n), values: values)
    var g = CellGrid(width: 40, height: 12)
    ChartView(model: Self.model(s), glyphs: .braille, focused: false)
      .render(in: g.bounds, into: &g)
    let rows = Self.dottedRows(g)
    #expect(rows.first == 1)  // the spike reaches the top row of the plot
    #expect(rows.last == 7)  // the zeros sit on the bottom row (rows 1-7: the plot)
    // Its column is where step 123 457 falls (within a column).
    let plotX = 1 + ChartView.labelWidth + 1
    let plotW = 40 - 2 - ChartView.labelWidth - 1
    let spikeX = (0..<40).first { g[$0, 1].char != " " && g[$0, 1].char != "│" && $0 > plotX - 1 }
    let expected = plotX + Int(Double(123_457) / Double(n - 1) * Double(plotW * 2 - 1)) / 2
    #expect(spikeX.map { abs($0 - expected) <= 1 } == true)
  }

  @Test func nonFiniteValuesAndHugeStepsDoNotBreakTheChart() {
    let s = Series(
      steps: [-9_000_000_000_000_000, 0, 5, 9_000_000_000_000_000],
      values: [.nan, .infinity, 1, -.infinity])
    var state = Fixtures.state([(Fixtures.manifest("x"), SeriesStore())])
    var store = SeriesStore()
    store.setSeries(MetricKey.loss, .train, s)
    _ = update(
      &state, .metrics(id: "runs/x", delta: store, reset: true, badCount: 0, recentBad: []))
    for z in ["z", "z", "]", "L", "s"] { _ = update(&state, .key(.char(Character(z)))) }
    let g = render(state)
    expectAlignedAndClean(g)
    var g2 = CellGrid(width: 30, height: 8)
    ChartView(
      model: Self.model(Series(steps: [0, 1], values: [.nan, .nan])), glyphs: .ascii, focused: true
    )
    .render(in: g2.bounds, into: &g2)
    #expect(g2.plainText.contains("+t"))
  }

  @Test func extremeFiniteValuesDoNotHangTheAxis() {
    for values in [
      [-1e308, 1e308], [1e-310, 2e-310], [5e307, 5e307], [-Double.greatestFiniteMagnitude, 0],
    ] {
      let s = Series(steps: [0, 1], values: values)
      for log in [false, true] {
        var m = Self.model(s, zero: true)
        m.logScale = log
        var g = CellGrid(width: 40, height: 12)
        ChartView(model: m, glyphs: .braille, focused: false).render(in: g.bounds, into: &g)
        expectAlignedAndClean(g)
      }
    }
    #expect(NumberFormat.ticks(-1e308, 1e308, count: 4).values.isEmpty)
  }

  @Test func zeroLineIsMarkedWhenTheRangeCrossesZero() {
    let s = Series(steps: Array(0..<50), values: (0..<50).map { Double($0) / 5 - 5 })
    var g = CellGrid(width: 40, height: 12)
    ChartView(model: Self.model(s, zero: true), glyphs: .braille, focused: false)
      .render(in: g.bounds, into: &g)
    let zeroCells = g.cells.filter { $0.style.role == .zeroLine }
    #expect(zeroCells.count > 10)
    #expect(g.plainText.contains("0┤"))
  }

  @Test func themeKeyCyclesAndTickIntervalFollowsReplay() {
    var s = Fixtures.twoRuns(config: DashboardConfig(themes: ["dark", "light", "contrast"]))
    #expect(update(&s, .key(.char("T"))) == [.setTheme("light")])
    #expect(update(&s, .key(.char("T"))) == [.setTheme("contrast")])
    #expect(update(&s, .key(.char("T"))) == [.setTheme("dark")])
    #expect(s.tickInterval == 1)
    var plain = Fixtures.twoRuns()
    #expect(update(&plain, .key(.char("T"))) == [.setTheme("next")])
    _ = update(&s, .key(.char("r")))
    #expect(s.tickInterval < 0.1)
    _ = update(&s, .key(.char("p")))
    #expect(s.tickInterval == 1)
  }
}

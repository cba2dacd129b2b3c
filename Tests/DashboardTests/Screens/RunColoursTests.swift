import RunLog
import Testing

@testable import Dashboard

/// Which line is which run (issue 30 item 2): a stable colour per charted
/// run, its swatch in the runs pane, the legend naming what fits.
@Suite struct RunColoursTests {
  static func nineRuns(width: Int = 120, height: Int = 40, config: DashboardConfig = .init())
    -> DashboardState
  {
    var s = Fixtures.state(
      (0..<9).map { i in
        (
          Fixtures.manifest("run-\(i)", beta: [0.1, 0.3, 1.0][i % 3]),
          Fixtures.store(steps: 100, drift: -0.1 + 0.03 * Double(i))
        )
      }, width: width, height: height, config: config)
    _ = update(&s, .key(.char("a")))
    return s
  }

  /// The swatch cell of each run row, by run name.
  static func swatches(_ s: DashboardState) -> [String: Cell] {
    let g = render(s)
    var out: [String: Cell] = [:]
    for y in 0..<g.height {
      let row = (0..<g.width).map { String(g[$0, y].char) }.joined()
      // The runs pane's rows only (the legends name runs too).
      guard let r = row.range(of: "run-") else { continue }
      let x = row.distance(from: row.startIndex, to: r.lowerBound)
      guard x >= 3, x < 8 else { continue }
      let name = String(row[r.lowerBound...].prefix(5))
      out[name] = g[x - 2, y]
    }
    return out
  }

  @Test func nineRunsEachHaveASwatchAndTheLegendPointsToTheRunsPane() {
    let s = Self.nineRuns()
    #expect(s.chartRuns.count == 9)
    let g = render(s)
    expectSnapshot(g, "nine-runs")
    expectAlignedAndClean(g)
    let sw = Self.swatches(s)
    #expect(sw.count == 9, "\(sw.keys.sorted())")
    // Eight colours, then the first colour again with a hollow dot (and dashed lines).
    for i in 0..<9 {
      #expect(
        sw["run-\(i)"]?.style.role == .series(i), "run-\(i): \(String(describing: sw["run-\(i)"]))")
    }
    #expect(sw["run-0"]?.char == "●")
    #expect(sw["run-8"]?.char == "○")
    // The legend names runs while they fit, then says where the rest are.
    #expect(g.plainText.contains("runs pane"))
    let m = ChartKind.loss.model(s)
    let colours = Set(m.lines.map { "\($0.style.role)/\($0.pattern.period)/\($0.pattern.mask)" })
    #expect(colours.count == m.lines.count, "every line its own look")
  }

  @Test func coloursStayWithTheRunWhenOthersAreMarkedOrUnmarked() {
    var s = Self.nineRuns()
    let before = Self.swatches(s)
    // Unmark run-2 (cursor on its row): the others keep their colours.
    _ = update(&s, .key(.char("g")))
    while s.cursorRun?.manifest.name != "run-2" { _ = update(&s, .key(.down)) }
    _ = update(&s, .key(.char("m")))
    let after = Self.swatches(s)
    #expect(after["run-2"]?.char != "●")
    for i in [0, 1, 3, 4, 5, 6, 7, 8] {
      #expect(after["run-\(i)"]?.style.role == before["run-\(i)"]?.style.role)
    }
    let lossLine = ChartKind.loss.model(s).lines.first { $0.name == "run-5 train" }
    #expect(lossLine?.style.role == .series(5))
    // Marked again, it takes the free colour: its own.
    _ = update(&s, .key(.char("m")))
    #expect(Self.swatches(s)["run-2"]?.style.role == .series(2))
  }

  @Test func withoutColourEachRunIsAGlyph() {
    let s = Self.nineRuns(config: DashboardConfig(glyphs: .ascii, noColor: true))
    let sw = Self.swatches(s)
    #expect(sw["run-0"]?.char == "*")
    #expect(sw["run-1"]?.char == "+")
    #expect(sw["run-2"]?.char == "o")
    let m = ChartKind.loss.model(s)
    #expect(m.lines.first { $0.name == "run-1 train" }?.marker == "+")
    expectSnapshot(render(s), "nine-runs-no-color-ascii")
  }

  @Test func theCompareTableShowsTheBetaColour() {
    var s = Self.nineRuns(width: 200, height: 50)
    _ = update(&s, .key(.char("C")))
    let sw = Self.swatches(s)
    #expect(sw["run-0"]?.style.role == .series(0))  // beta 0.1
    #expect(sw["run-1"]?.style.role == .series(1))  // beta 0.3
    #expect(sw["run-4"]?.style.role == .series(1))
  }
}

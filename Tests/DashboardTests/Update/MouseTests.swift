import Testing

@testable import Dashboard
@testable import RunLog

/// The mouse through `update`: each action against the layout `render` draws.
@Suite struct MouseTests {
  static func press(_ s: inout DashboardState, _ x: Int, _ y: Int) {
    _ = update(&s, .mouse(MouseEvent(.press, x: x, y: y)))
    _ = update(&s, .mouse(MouseEvent(.release, button: .none, x: x, y: y)))
  }

  /// The screen row showing `text` (first match).
  static func row(_ s: DashboardState, _ text: String) -> Int? {
    render(s).plainText.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
      $0.contains(text)
    }
  }

  @Test func clickingARunMovesTheCursorThere() throws {
    var s = Fixtures.twoRuns()
    #expect(s.cursorRun?.manifest.name == "dpo-b0.1")
    let y = try #require(Self.row(s, "dpop-b0.1"))
    Self.press(&s, 20, y)
    #expect(s.cursorRun?.manifest.name == "dpop-b0.1")
    #expect(s.selected.isEmpty)
    #expect(s.focus == .runs)
  }

  @Test func clickingTheMarkColumnMarksAndUnmarks() throws {
    var s = Fixtures.twoRuns()
    let y = try #require(Self.row(s, "dpop-b0.1"))
    Self.press(&s, 1, y)
    #expect(s.selected == ["runs/dpop-b0.1"])
    let y0 = try #require(Self.row(s, "dpo-b0.1 "))
    Self.press(&s, 1, y0)
    #expect(s.selected == ["runs/dpop-b0.1", "runs/dpo-b0.1"])
    // Both charted: the swatches sit where the click was; clicking one unmarks it.
    #expect(render(s)[1, y].char == "●")
    Self.press(&s, 1, y)
    #expect(s.selected == ["runs/dpo-b0.1"])
  }

  @Test func clickingASweepsTriangleCollapsesIt() throws {
    var s = Fixtures.state([
      (Fixtures.manifest("a"), Fixtures.store(steps: 5)),
      (Fixtures.manifest("b"), Fixtures.store(steps: 5)),
    ])
    _ = update(
      &s, .runUpdated(id: "other/c", kind: "dpotop", manifest: Fixtures.manifest("c")))
    let y = try #require(Self.row(s, "▾ runs/"))
    Self.press(&s, 1, y)
    #expect(s.collapsed.count == 1)
    #expect(Self.row(s, "▸ runs/") == y)
  }

  @Test func clickingAChartFocusesItWithoutScrolling() throws {
    var s = Fixtures.twoRuns(width: 120, height: 30)
    let before = s.shownCharts
    #expect(before.count < ChartKind.allCases.count)  // not all fit: clicks must not scroll
    let (kind, rect) = before[before.count - 1]
    Self.press(&s, rect.x + rect.width / 2, rect.y + rect.height / 2)
    #expect(s.focus == .charts)
    #expect(s.chartFocus == kind.rawValue)
    #expect(s.shownCharts.map(\.0) == before.map(\.0))
    // A key that focuses a chart scrolls to it as before.
    _ = update(&s, .key(.char("9")))
    #expect(s.shownCharts.last?.0.rawValue == 8)
  }

  @Test func clickingAChartMovesTheInspectCursor() throws {
    var s = Fixtures.twoRuns()
    _ = update(&s, .key(.char("i")))
    let (_, rect) = try #require(s.shownCharts.first)
    let plot = ChartView.plotColumns(in: rect)
    Self.press(&s, plot.x, rect.y + 3)
    #expect(s.inspectStep == 0)
    Self.press(&s, plot.x + plot.width - 1, rect.y + 3)
    #expect(s.inspectStep == 99)
  }

  @Test func wheelZoomsAroundThePointer() throws {
    var s = Fixtures.twoRuns()
    let (_, rect) = try #require(s.shownCharts.first)
    let plot = ChartView.plotColumns(in: rect)
    let right = plot.x + plot.width - 1
    _ = update(&s, .mouse(MouseEvent(.wheelUp, button: .none, x: right, y: rect.y + 3)))
    // Zoomed in on the right edge: the window keeps the last step in view.
    #expect(s.zoom == 1)
    #expect(s.panStart == 0.5)
    _ = update(&s, .mouse(MouseEvent(.wheelUp, button: .none, x: plot.x, y: rect.y + 3)))
    #expect(s.zoom == 2)
    #expect(s.panStart == 0.5)  // the left edge stays where it was
    _ = update(&s, .mouse(MouseEvent(.wheelDown, button: .none, x: plot.x, y: rect.y + 3)))
    _ = update(&s, .mouse(MouseEvent(.wheelDown, button: .none, x: plot.x, y: rect.y + 3)))
    #expect(s.zoom == 0 && s.panStart == 0)
  }

  @Test func dragPansTheSteps() throws {
    var s = Fixtures.twoRuns()
    _ = update(&s, .key(.char("z")))
    _ = update(&s, .key(.char("z")))  // a quarter of the steps, centred: 0.375
    #expect(s.panStart == 0.375)
    let (_, rect) = try #require(s.shownCharts.first)
    let plot = ChartView.plotColumns(in: rect)
    let y = rect.y + 3
    _ = update(&s, .mouse(MouseEvent(.press, x: plot.x + plot.width - 1, y: y)))
    // Dragging the right edge to the left edge moves one window later.
    _ = update(&s, .mouse(MouseEvent(.drag, x: plot.x, y: y)))
    #expect(abs(s.panStart - 0.625) < 1e-9)
    _ = update(&s, .mouse(MouseEvent(.release, x: plot.x, y: y)))
    _ = update(&s, .mouse(MouseEvent(.drag, x: plot.x + plot.width - 1, y: y)))
    #expect(abs(s.panStart - 0.625) < 1e-9)  // released: no more panning
  }

  @Test func wheelOverTheRunsMovesTheCursor() {
    var s = Fixtures.twoRuns()
    _ = update(&s, .mouse(MouseEvent(.wheelDown, button: .none, x: 5, y: 5)))
    #expect(s.cursorRun?.manifest.name == "dpop-b0.1")
    _ = update(&s, .mouse(MouseEvent(.wheelUp, button: .none, x: 5, y: 5)))
    #expect(s.cursorRun?.manifest.name == "dpo-b0.1")
  }

  @Test func promptsAndHelpTakeTheMouseFirst() throws {
    var s = Fixtures.twoRuns()
    let y = try #require(Self.row(s, "dpop-b0.1"))
    _ = update(&s, .key(.char("/")))
    Self.press(&s, 20, y)
    #expect(s.cursorRun?.manifest.name == "dpo-b0.1")  // typing a filter: ignored
    _ = update(&s, .key(.enter))
    _ = update(&s, .key(.char("?")))
    Self.press(&s, 20, y)
    #expect(!s.showHelp)  // a click closes help, and does nothing else
    #expect(s.cursorRun?.manifest.name == "dpo-b0.1")
  }

  @Test func clickingAMetricsChartFocusesIt() throws {
    var s = Fixtures.twoRuns()
    _ = update(&s, .key(.char("M")))
    let layout = MetricsLayout(s)
    let cells = layout.cells(count: s.metricKeys.count)
    #expect(cells.count > 2)
    Self.press(&s, cells[2].x + 5, cells[2].y + 3)
    #expect(s.metrics.focus == 2)
  }

  @Test func theStackedLayoutOfANarrowTerminal() throws {
    var s = Fixtures.twoRuns(width: 80, height: 30)
    let y = try #require(Self.row(s, "dpop-b0.1"))
    Self.press(&s, 30, y)
    #expect(s.cursorRun?.manifest.name == "dpop-b0.1")
    let (kind, rect) = try #require(s.shownCharts.last)
    #expect(rect.y > y)  // the charts are under the runs
    Self.press(&s, rect.x + 3, rect.y + 2)
    #expect(s.focus == .charts && s.chartFocus == kind.rawValue)
  }
}

/// Draws the whole screen for `state`, sized to its terminal size.
///
/// Pure: the same state always gives the same grid. A terminal too small
/// for the dashboard gets a note instead (never a crash, even at 1×1).
public func render(_ state: DashboardState) -> CellGrid {
  var grid = CellGrid(width: state.width, height: state.height)
  guard state.width > 0, state.height > 0 else { return grid }
  let layout = Layout(state)
  if layout.tooSmall {
    drawTooSmall(state, &grid)
    return grid
  }
  let body = Rect(x: 0, y: 0, width: state.width, height: state.height - 1)
  switch state.screen {
  case .main:
    RunsPane(state: state).render(in: layout.runs, into: &grid)
    for (kind, rect) in state.shownCharts {
      ChartView(
        model: kind.model(state), glyphs: state.config.glyphs,
        focused: state.focus == .charts && kind.rawValue == state.chartFocus
      ).render(in: rect, into: &grid)
    }
  case .detail(let id):
    if let run = state.run(id) {
      DetailScreen(state: state, run: run).render(in: body, into: &grid)
    }
  case .tokens(let id):
    if let run = state.run(id) {
      TokenScreen(state: state, run: run).render(in: body, into: &grid)
    }
  case .metrics:
    MetricsScreen(state: state).render(into: &grid)
  }
  StatusLine(state: state).render(in: layout.status, into: &grid)
  if let form = state.sweepForm {
    SweepFormView(form: form, launching: state.sweepLaunching, ascii: state.config.glyphs == .ascii)
      .render(in: body, into: &grid)
  }
  if state.showHelp {
    HelpOverlay(ascii: state.config.glyphs == .ascii).render(in: body, into: &grid)
  }
  grid.normalizeWideCells()
  return grid
}

/// The note shown when the terminal is below `Layout.minWidth × minHeight`,
/// word-wrapped into whatever space there is.
private func drawTooSmall(_ state: DashboardState, _ grid: inout CellGrid) {
  let words = "terminal too small: need \(Layout.minWidth)x\(Layout.minHeight)".split(
    separator: " ")
  var y = 0
  var line = ""
  for w in words {
    if !line.isEmpty && line.count + 1 + w.count > state.width {
      grid.put(line, x: 0, y: y, maxWidth: state.width, style: Style(.warning))
      y += 1
      line = ""
    }
    line += (line.isEmpty ? "" : " ") + w
  }
  if !line.isEmpty { grid.put(line, x: 0, y: y, maxWidth: state.width, style: Style(.warning)) }
}

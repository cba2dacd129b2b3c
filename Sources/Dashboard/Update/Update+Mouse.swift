/// The mouse, hit-tested against the layout `render` draws: a click on a
/// run row moves the cursor there, on its swatch marks it (on a sweep's
/// ▾ collapses it); a click on a chart focuses it (and puts the inspect
/// cursor, when on, at that step); the wheel zooms the step range around the
/// pointer; a drag pans it. Every one of these has a key as well.
extension DashboardState {
  /// Rows the wheel moves the runs list or the detail screen by.
  static let wheelRows = 3

  /// The charts of the main view and their rectangles, as drawn.
  var shownCharts: [(ChartKind, Rect)] {
    Layout(self).chartCells(focus: chartFocus, first: chartFirst)
  }

  /// Handles a mouse event.
  mutating func handle(_ event: MouseEvent) -> [Effect] {
    // Forms, prompts and the filter being typed own the input: keys only.
    guard sweepForm == nil, confirmation == nil, !editingFilter, !metrics.editingFilter else {
      return []
    }
    if event.action == .release || (event.action == .press && event.button != .left) {
      mouseDrag = nil
      return []
    }
    if showHelp {
      if event.action == .press { showHelp = false }
      return []
    }
    if event.action == .drag {
      drag(to: event.x)
      return []
    }
    switch screen {
    case .main: mouseOnMain(event)
    case .metrics: mouseOnMetrics(event)
    case .detail:
      switch event.action {
      case .wheelUp: detailScroll = max(0, detailScroll - Self.wheelRows)
      case .wheelDown: detailScroll += Self.wheelRows
      default: break
      }
    case .tokens: break
    }
    return []
  }

  private mutating func mouseOnMain(_ event: MouseEvent) {
    let layout = Layout(self)
    guard !layout.tooSmall else { return }
    if contains(layout.runs, event) {
      mouseOnRuns(event, layout)
      return
    }
    for (kind, rect) in shownCharts where contains(rect, event) {
      if event.action == .press {
        chartFirst = shownCharts.first.map { $0.0.rawValue }
        chartFocus = kind.rawValue
        focus = .charts
      }
      mouseOnChart(event, rect)
      return
    }
  }

  private mutating func mouseOnMetrics(_ event: MouseEvent) {
    let layout = MetricsLayout(self)
    let count = metricKeys.count
    guard count > 0 else { return }
    if metrics.enlarged {
      if contains(layout.area, event) { mouseOnChart(event, layout.area) }
      return
    }
    let perPage = layout.perPage(enlarged: false)
    let first = min(metrics.focus, count - 1) / perPage * perPage
    for (i, rect) in layout.cells(count: count - first).enumerated() where contains(rect, event) {
      if event.action == .press { metrics.focus = first + i }
      mouseOnChart(event, rect)
      return
    }
  }

  /// A click on a row: the cursor goes there; on the mark column a run's
  /// row is marked or unmarked (Space), a sweep's header collapses (`o`).
  private mutating func mouseOnRuns(_ event: MouseEvent, _ layout: Layout) {
    switch event.action {
    case .wheelUp: moveCursor(-Self.wheelRows)
    case .wheelDown: moveCursor(Self.wheelRows)
    case .press:
      let inner = layout.runs.inset(by: 1)
      let row = event.y - (inner.y + 1)
      let pos = scroll + row
      guard row >= 0, row < layout.listRows, pos < rows.count else { return }
      focus = .runs
      runList.moveCursor(to: pos, rowsShown: listRowsShown)
      guard event.x <= inner.x + 1 else { return }
      if case .header = rows[pos] { toggleCollapsed() } else { toggleSelected() }
    default: break
    }
  }

  /// A press on a chart starts a drag (and moves the inspect cursor there,
  /// when it is on); the wheel zooms around the pointer's step.
  private mutating func mouseOnChart(_ event: MouseEvent, _ rect: Rect) {
    let plot = ChartView.plotColumns(in: rect)
    guard plot.width >= 2 else { return }
    // Where the pointer is across the plot, 0 (left edge) ... 1 (right edge).
    let t = min(max(0, Double(event.x - plot.x) / Double(plot.width - 1)), 1)
    switch event.action {
    case .press:
      mouseDrag = MouseDrag(startX: event.x, startPan: panStart, plotWidth: plot.width)
      if inspectStep != nil, mode != .replay, let w = chartWindow, event.x >= plot.x {
        inspectStep = w.lowerBound + Int((t * Double(w.upperBound - w.lowerBound)).rounded())
      }
    case .wheelUp: zoom(by: 1, around: t)
    case .wheelDown: zoom(by: -1, around: t)
    default: break
    }
  }

  /// `z` / `Z` keeping the step under the pointer where it is on screen.
  private mutating func zoom(by delta: Int, around t: Double) {
    let span = 1 / Double(1 << zoom)
    let at = panStart + t * span
    zoom = min(max(0, zoom + delta), Self.maxZoom)
    let newSpan = 1 / Double(1 << zoom)
    panStart = min(max(0, at - t * newSpan), 1 - newSpan)
  }

  /// The drag's pan: the steps follow the pointer, as a map does.
  private mutating func drag(to x: Int) {
    guard let d = mouseDrag else { return }
    let span = 1 / Double(1 << zoom)
    let moved = Double(x - d.startX) / Double(max(1, d.plotWidth - 1))
    panStart = min(max(0, d.startPan - moved * span), 1 - span)
  }

  private func contains(_ rect: Rect, _ event: MouseEvent) -> Bool {
    event.x >= rect.x && event.x < rect.maxX && event.y >= rect.y && event.y < rect.maxY
  }
}

/// A press on a chart, while the button is held: where it started and the
/// pan then, so each drag event pans by how far the pointer is from there.
struct MouseDrag: Sendable, Equatable {
  var startX: Int
  var startPan: Double
  var plotWidth: Int
}

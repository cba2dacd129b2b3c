/// The inspect cursor (`i`): one step shared by every chart on screen, a
/// vertical line at it and a box with each line's value there. `,` `.`
/// move it (outside replay); in replay it is the replay position.
extension DashboardState {
  /// The step the cursor is on, or nil when it is off.
  var cursorStep: Int? {
    guard let s = inspectStep else { return nil }
    return mode == .replay ? replay.step : s
  }

  /// The chart runs' steps, zoomed and panned as the charts show them.
  var chartWindow: ClosedRange<Int>? {
    let runs = chartRuns
    guard let lo = runs.compactMap({ $0.data.firstStep }).min(),
      let hi = runs.compactMap({ $0.data.lastStep }).max(), lo <= hi
    else { return nil }
    return ChartKind.window(lo...hi, zoom: zoom, panStart: panStart)
  }

  /// `i`: the cursor on (mid-window) or off.
  mutating func toggleInspect() {
    if inspectStep != nil {
      inspectStep = nil
    } else if let w = chartWindow {
      inspectStep = w.lowerBound + (w.upperBound - w.lowerBound) / 2
    }
  }

  /// `,` `.`: the cursor back or forward by about a plot column (1/100 of
  /// the window, at least one step), kept within it.
  mutating func moveInspect(_ direction: Int) {
    guard let s = inspectStep, let w = chartWindow else { return }
    let by = max(1, (w.upperBound - w.lowerBound) / 100)
    inspectStep = min(max(w.lowerBound, s + direction * by), w.upperBound)
  }
}

extension ChartLine {
  /// The last point at or before `step` (its step and value), if any.
  func point(atOrBefore step: Int) -> (step: Int, value: Double)? {
    let p = data.points
    let i = p.firstIndex(atOrAfter: step &+ 1) - 1
    guard i >= 0, i < p.count else { return nil }
    return (p.steps[i], p.value(at: i))
  }
}

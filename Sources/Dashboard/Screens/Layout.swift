/// Where each part of the main view goes for the state's terminal size.
///
/// Wide terminals put the runs list left of the charts; narrow ones stack
/// them. Charts are laid out in up to two columns; when not all of them
/// fit, the ones from the focused chart on are shown. An odd last chart
/// takes the whole width of its row rather than leaving half of it empty.
struct Layout {
  /// Smallest terminal that gets the dashboard instead of a note.
  static let minWidth = 20
  static let minHeight = 6

  let tooSmall: Bool
  let status: Rect
  let runs: Rect
  let charts: Rect
  /// Rows of the run list (inside the border, below the header).
  let listRows: Int

  init(_ state: DashboardState) {
    let w = state.width
    let h = state.height
    tooSmall = w < Self.minWidth || h < Self.minHeight
    status = Rect(x: 0, y: h - 1, width: w, height: 1)
    let bodyH = h - 1
    if w >= 90 {
      let rw = min(max(w * 40 / 100, 36), 64)
      runs = Rect(x: 0, y: 0, width: rw, height: bodyH)
      charts = Rect(x: rw, y: 0, width: w - rw, height: bodyH)
    } else {
      let want = state.rows.count + 3
      let rh = min(max(want, 4), max(4, bodyH * 2 / 5))
      runs = Rect(x: 0, y: 0, width: w, height: rh)
      charts = Rect(x: 0, y: rh, width: w, height: bodyH - rh)
    }
    listRows = max(0, runs.height - 3)
  }

  /// The charts shown and their rectangles: from `first` when the focused
  /// chart is among those (a click keeps the charts where they are), else
  /// from the focused one.
  func chartCells(focus: Int, first pinned: Int? = nil) -> [(ChartKind, Rect)] {
    let all = ChartKind.allCases
    guard charts.width >= 16, charts.height >= 5 else { return [] }
    let cols = charts.width >= 72 ? 2 : 1
    let fitRows = max(1, charts.height / 8)
    let count = min(all.count, cols * fitRows)
    let rows = (count + cols - 1) / cols
    var first = count >= all.count ? 0 : min(max(0, focus), all.count - count)
    if let pinned, count < all.count, pinned <= focus, focus < pinned + count {
      first = min(max(0, pinned), all.count - count)
    }
    var out: [(ChartKind, Rect)] = []
    for i in 0..<count {
      let r = i / cols
      let c = i % cols
      let x0 = charts.x + charts.width * c / cols
      let alone = i == count - 1 && c == 0
      let x1 = alone ? charts.x + charts.width : charts.x + charts.width * (c + 1) / cols
      let y0 = charts.y + charts.height * r / rows
      let y1 = charts.y + charts.height * (r + 1) / rows
      out.append((all[first + i], Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)))
    }
    return out
  }
}

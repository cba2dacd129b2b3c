/// Where the metrics screen's header and charts go for the terminal size.
///
/// Charts are at least `minChartWidth × minChartHeight` cells: as many
/// columns as fit (or the ones asked for with `{`/`}`), as many rows as fit.
struct MetricsLayout {
  static let minChartWidth = 40
  static let minChartHeight = 10

  /// The header rows (what is shown, the filter; the runs' key).
  let header: Rect
  /// The charts' area.
  let area: Rect
  let columns: Int
  let rows: Int

  init(_ state: DashboardState) {
    let w = max(0, state.width)
    let h = max(0, state.height - 1)  // the status line
    // Several runs: a second row is their key (the runs pane is not on this screen).
    let headerRows = RunLooks(state).multi ? 2 : 1
    header = Rect(x: 0, y: 0, width: w, height: min(headerRows, h))
    area = Rect(x: 0, y: header.height, width: w, height: max(0, h - header.height))
    let fit = max(1, min(MetricsGrid.maxColumns, w / Self.minChartWidth))
    columns = state.metrics.columns ?? fit
    rows = max(1, area.height / Self.minChartHeight)
  }

  /// Charts per page (one when enlarged).
  func perPage(enlarged: Bool) -> Int { enlarged ? 1 : columns * rows }

  /// The rectangles of a page of `count` charts, row by row.
  func cells(count: Int) -> [Rect] {
    let n = min(count, columns * rows)
    guard n > 0 else { return [] }
    // Fewer charts than a page: rows shrink to those used, charts grow.
    let usedRows = min(rows, (n + columns - 1) / columns)
    return (0..<n).map { i in
      let r = i / columns
      let c = i % columns
      let x0 = area.x + area.width * c / columns
      let x1 = area.x + area.width * (c + 1) / columns
      let y0 = area.y + area.height * r / usedRows
      let y1 = area.y + area.height * (r + 1) / usedRows
      return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }
  }
}

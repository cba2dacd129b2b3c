/// Whole SVG documents: one chart, or several as a grid, of the state's
/// marked runs. Deterministic: the same runs give the same bytes (fixed
/// decimals, no dates, ids from positions).
public enum FigureDocument {
  /// An SVG of `charts` for `state`'s chart runs, each chart `width` ×
  /// `height` px, `columns` to a row.
  public static func svg(
    _ state: DashboardState, charts: [FigureChart], width: Int, height: Int, columns: Int = 1,
    paint: FigurePaint
  ) -> String {
    let cols = max(1, min(columns, charts.count))
    let rows = (charts.count + cols - 1) / cols
    let w = Double(width * cols)
    let h = Double(height * max(1, rows))
    var out = header(width: w, height: h, paint: paint)
    out += body(state, charts: charts, width: width, height: height, columns: cols, paint: paint)
    return out + "</svg>\n"
  }

  /// The `<svg>` start tag (with a viewBox, so it scales) and a background.
  static func header(width w: Double, height h: Double, paint: FigurePaint, id: String = "")
    -> String
  {
    let (ws, hs) = (SVGText.num(w), SVGText.num(h))
    return
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(ws) \(hs)\" width=\"\(ws)\""
      + " height=\"\(hs)\" font-family=\"\(SVGText.sans)\"\(id.isEmpty ? "" : " id=\"\(id)\"")"
      + " role=\"img\">\n"
      + "<rect width=\"100%\" height=\"100%\" style=\"fill:\(paint.background)\"/>\n"
  }

  /// The charts laid out in a grid (element ids prefixed with `prefix`).
  static func body(
    _ state: DashboardState, charts: [FigureChart], width: Int, height: Int, columns: Int,
    paint: FigurePaint, prefix: String = "f"
  ) -> String {
    var out = ""
    for (i, chart) in charts.enumerated() {
      let c = SVGChart(
        model: chart.model(state), yLabel: chart.yLabel, paint: paint, id: "\(prefix)\(i)")
      out += c.svg(
        x: Double((i % columns) * width), y: Double((i / columns) * height),
        width: Double(width), height: Double(height))
    }
    return out
  }

  /// Whether `chart` has anything to draw for the state's chart runs.
  public static func hasData(_ state: DashboardState, _ chart: FigureChart) -> Bool {
    let m = chart.model(state)
    return m.steps != nil && !m.lines.isEmpty
  }
}

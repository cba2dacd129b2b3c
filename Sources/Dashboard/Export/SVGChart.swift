/// Draws one `ChartModel` as SVG: the dashboard's chart (same lines, bands,
/// colours, dashes and legend) with print axes — nice ticks, a labelled
/// step axis and a value axis with its unit, grid lines, the zero line
/// where the model asks for one — and every line at full resolution (two
/// points per pixel column at most).
struct SVGChart {
  var model: ChartModel
  /// The value axis's label ("log πθ − log πref (nats)").
  var yLabel: String
  var paint: FigurePaint
  /// Unique within the document (clip path ids).
  var id: String

  static let titleSize = 14.0
  static let labelSize = 12.0
  static let tickSize = 11.0
  static let legendSize = 11.5

  /// The chart's SVG elements for the box at (x, y) of `width` × `height`.
  func svg(x: Double, y: Double, width: Double, height: Double) -> String {
    var out = "<g transform=\"translate(\(SVGText.num(x)),\(SVGText.num(y)))\" class=\"chart\">\n"
    var title = model.title
    if !model.notes.isEmpty { title += " (" + model.notes.joined(separator: ", ") + ")" }
    out += text(
      title, x: width / 2, y: 20, size: Self.titleSize, anchor: "middle", role: .normal,
      extra: " font-weight=\"bold\" class=\"title\"")
    let legend = legendRows(width: width - 24)
    let legendH = Double(legend.count) * 18
    let top = 34.0
    let bottom = height - 10 - legendH - 40
    guard let steps = model.steps, !model.lines.isEmpty, bottom - top > 20 else {
      out += text(
        model.emptyNote ?? "no data", x: width / 2, y: height / 2, size: Self.labelSize,
        anchor: "middle", role: .dim)
      return out + "</g>\n"
    }
    let (lo, hi, yTicks, yStep) = valueAxis(steps, rows: max(2, Int((bottom - top) / 55)))
    let tickLabels = yTicks.map { NumberFormat.tick($0, step: yStep) }
    let labelW = tickLabels.map { SVGText.width($0, size: Self.tickSize) }.max() ?? 0
    let left = 10 + Self.labelSize + 8 + labelW + 6
    let right = width - 26
    guard right - left > 40 else { return out + "</g>\n" }
    let sx = { (s: Double) -> Double in
      left + 2 + (s - Double(steps.lowerBound))
        / Double(max(1, steps.upperBound - steps.lowerBound)) * (right - left - 4)
    }
    // Data keeps a few pixels off the frame, so a line along a tick (DPOP's
    // log-ratio at 0) is not hidden by the axis.
    let inset = 6.0
    let sy = { (v: Double) -> Double in
      bottom - inset - (v - lo) / (hi - lo) * (bottom - top - 2 * inset)
    }
    // Grid and ticks first, data over them, axes last.
    let grid = paint.color(.grid)
    let axis = paint.color(.axis)
    for (v, label) in zip(yTicks, tickLabels) {
      let py = SVGText.num(sy(v))
      out +=
        "<line x1=\"\(SVGText.num(left))\" y1=\"\(py)\" x2=\"\(SVGText.num(right))\" y2=\"\(py)\""
        + " style=\"stroke:\(grid)\" stroke-width=\"0.6\"/>\n"
      out += text(
        label, x: left - 6, y: sy(v) + Self.tickSize * 0.35, size: Self.tickSize, anchor: "end",
        role: .normal)
    }
    let xTicks = stepTicks(steps, count: max(2, Int((right - left) / 90)))
    for s in xTicks {
      let px = SVGText.num(sx(Double(s)))
      out +=
        "<line x1=\"\(px)\" y1=\"\(SVGText.num(bottom))\" x2=\"\(px)\" y2=\"\(SVGText.num(bottom + 4))\""
        + " style=\"stroke:\(axis)\" stroke-width=\"1\"/>\n"
      // The screen's x axis (`X`): steps, or times and tokens as the screen labels them.
      let label = XAxisMap.label(s, axis: model.xAxis, span: steps.upperBound - steps.lowerBound)
      out += text(
        label, x: sx(Double(s)), y: bottom + 6 + Self.tickSize, size: Self.tickSize,
        anchor: "middle", role: .normal)
    }
    let axisTitle = model.xAxis == .wall ? "wall clock (UTC)" : model.xAxis.label
    out += text(
      axisTitle, x: (left + right) / 2, y: bottom + 36, size: Self.labelSize, anchor: "middle",
      role: .normal)
    let midY = SVGText.num((top + bottom) / 2)
    out +=
      "<text transform=\"translate(\(SVGText.num(10 + Self.labelSize)),\(midY)) rotate(-90)\""
      + " text-anchor=\"middle\" font-size=\"\(SVGText.num(Self.labelSize))\""
      + " style=\"fill:\(paint.color(.normal))\">\(SVGText.escape(yLabel))</text>\n"
    out +=
      "<clipPath id=\"\(id)-plot\"><rect x=\"\(SVGText.num(left))\" y=\"\(SVGText.num(top))\""
      + " width=\"\(SVGText.num(right - left))\" height=\"\(SVGText.num(bottom - top))\"/></clipPath>\n"
    out += "<g clip-path=\"url(#\(id)-plot)\">\n"
    for band in model.bands {
      out += bandPath(band, steps, sx, sy)
    }
    if model.zeroLine, lo <= 0, hi >= 0 {
      let py = SVGText.num(sy(0))
      out +=
        "<line x1=\"\(SVGText.num(left))\" y1=\"\(py)\" x2=\"\(SVGText.num(right))\" y2=\"\(py)\""
        + " style=\"stroke:\(paint.color(.zeroLine))\" stroke-width=\"1\" stroke-dasharray=\"2 3\""
        + " class=\"zero\"/>\n"
    }
    for line in model.lines {
      out += linePath(line, steps, sx, sy, pixels: right - left)
    }
    out += nonFiniteMarks(steps, sx, top: top, bottom: bottom)
    out += "</g>\n"
    out +=
      "<path d=\"M\(SVGText.num(left)) \(SVGText.num(top))V\(SVGText.num(bottom))"
      + "H\(SVGText.num(right))\" fill=\"none\" style=\"stroke:\(axis)\" stroke-width=\"1\"/>\n"
    out += legendSVG(legend, x: 12, y: bottom + 48)
    return out + "</g>\n"
  }

  // MARK: axes

  /// The value axis: the data's range (zero included when the chart has a
  /// zero line) widened to whole tick steps.
  private func valueAxis(_ steps: ClosedRange<Int>, rows: Int) -> (
    Double, Double, [Double], Double
  ) {
    var (lo, hi) = model.valueRange(over: steps) ?? (0, 1)
    if hi - lo < 1e-12 {
      let pad = max(abs(hi) * 0.1, 1e-3)
      lo -= pad
      hi += pad
    }
    let (_, step) = NumberFormat.ticks(lo, hi, count: rows)
    let niceLo = (lo / step).rounded(.down) * step
    let niceHi = (hi / step).rounded(.up) * step
    var ticks: [Double] = []
    var v = niceLo
    while v <= niceHi + step * 1e-9 && ticks.count < 60 {
      ticks.append(abs(v) < step * 1e-9 ? 0 : v)
      v += step
    }
    return (niceLo, max(niceHi, niceLo + step), ticks, step)
  }

  /// Whole-number step ticks (1, 2 or 5 × 10^k apart) within `steps`.
  private func stepTicks(_ steps: ClosedRange<Int>, count: Int) -> [Int] {
    let (values, step) = NumberFormat.ticks(
      Double(steps.lowerBound), Double(steps.upperBound), count: count)
    guard step >= 1 else {
      return steps.lowerBound == steps.upperBound
        ? [steps.lowerBound] : [steps.lowerBound, steps.upperBound]
    }
    return values.map { Int($0.rounded()) }
  }

  // MARK: data

  /// One line as a path; a non-finite value breaks it (as a gap).
  private func linePath(
    _ line: ChartLine, _ steps: ClosedRange<Int>, _ sx: (Double) -> Double,
    _ sy: (Double) -> Double, pixels: Double
  ) -> String {
    let p = line.data.points
    let range = line.data.indices(in: steps)
    var d = ""
    var pen = false
    // Beyond two points a pixel column, keep each column's first, lowest,
    // highest and last points: the drawn shape is the same.
    let perColumn = Double(range.count) / max(1, pixels)
    var column = Int.min
    var bucket: [(Double, Double)] = []
    func flush() {
      var seen: Set<Int> = []
      let keep =
        bucket.count <= 4
        ? Array(bucket.indices)
        : [
          0, bucket.indices.min { bucket[$0].1 > bucket[$1].1 } ?? 0,
          bucket.indices.min { bucket[$0].1 < bucket[$1].1 } ?? 0, bucket.count - 1,
        ].sorted().filter { seen.insert($0).inserted }
      for i in keep {
        d += (pen ? "L" : "M") + SVGText.num(bucket[i].0) + " " + SVGText.num(bucket[i].1)
        pen = true
      }
      bucket = []
    }
    for i in range {
      let v = p.value(at: i)
      guard v.isFinite else {
        flush()
        pen = false
        continue
      }
      let x = sx(Double(p.steps[i]))
      let c = perColumn > 2 ? Int(x.rounded(.down)) : i
      if c != column { flush() }
      column = c
      bucket.append((x, sy(v)))
    }
    flush()
    guard !d.isEmpty else { return "" }
    let dim = line.style.dim
    return
      "<path class=\"line\" d=\"\(d)\" fill=\"none\" style=\"stroke:\(paint.color(line.style.role))\""
      + " stroke-width=\"\(dim ? "1.2" : "1.8")\"\(dim ? " stroke-opacity=\"0.5\"" : "")"
      + dashAttribute(line.pattern)
      + " stroke-linejoin=\"round\" stroke-linecap=\"round\"><title>\(SVGText.escape(line.name))</title></path>\n"
  }

  /// NaN and ±Inf points as the screen marks them: `×` (NaN) and `▲`
  /// (+Inf) on the plot's top edge, `▼` (-Inf) on the bottom, at their
  /// steps, in the alarm colour; a line's path only breaks there.
  private func nonFiniteMarks(
    _ steps: ClosedRange<Int>, _ sx: (Double) -> Double, top: Double, bottom: Double
  ) -> String {
    var out = ""
    let color = paint.color(NonFinite.style.role)
    // At most one mark of a kind per pixel column: a run of NaNs is one row of marks.
    var drawn: Set<[Int]> = []
    for line in model.lines where line.data.hasNonFinite {
      let points = line.data.points
      for k in line.data.nonFiniteSpan(in: steps) {
        let i = line.data.nonFinite[k]
        guard let kind = NonFinite(points.values[i]) else { continue }
        let x = sx(Double(points.steps[i]))
        guard drawn.insert([Int(x.rounded()), kind.rawValue]).inserted else { continue }
        let y = kind.atTop ? top + Self.tickSize : bottom - 3
        out +=
          "<text class=\"nonfinite\" x=\"\(SVGText.num(x))\" y=\"\(SVGText.num(y))\""
          + " font-size=\"\(SVGText.num(Self.tickSize))\" text-anchor=\"middle\""
          + " style=\"fill:\(color)\">\(kind.glyph(ascii: false))<title>"
          + SVGText.escape("\(line.name) \(kind.label) at step \(points.steps[i])")
          + "</title></text>\n"
      }
    }
    return out
  }

  /// A seed band: the area between its low and high series.
  private func bandPath(
    _ band: ChartBand, _ steps: ClosedRange<Int>, _ sx: (Double) -> Double,
    _ sy: (Double) -> Double
  ) -> String {
    var upper: [(Double, Double)] = []
    var lower: [(Double, Double)] = []
    let h = band.high.points
    let l = band.low.points
    for i in band.high.indices(in: steps) where i < l.count {
      let (a, b) = (h.value(at: i), l.value(at: i))
      guard a.isFinite, b.isFinite else { continue }
      let x = sx(Double(h.steps[i]))
      upper.append((x, sy(a)))
      lower.append((x, sy(b)))
    }
    guard !upper.isEmpty else { return "" }
    var d = ""
    for (k, pt) in (upper + lower.reversed()).enumerated() {
      d += (k == 0 ? "M" : "L") + SVGText.num(pt.0) + " " + SVGText.num(pt.1)
    }
    return
      "<path class=\"band\" d=\"\(d)Z\" style=\"fill:\(paint.color(band.style.role))\""
      + " fill-opacity=\"0.18\" stroke=\"none\"/>\n"
  }

  /// The dash of `pattern` for a vector line: its drawn and skipped dots,
  /// each 2.5 px, so lines read as the same dash as on screen.
  private func dashAttribute(_ pattern: DashPattern) -> String {
    guard pattern.period > 1 else { return "" }
    var runs: [Int] = []
    var on = true
    var n = 0
    for i in 0..<pattern.period {
      let bit = pattern.mask & (1 << UInt32(i)) != 0
      if bit == on {
        n += 1
      } else {
        runs.append(n)
        on = bit
        n = 1
      }
    }
    runs.append(n)
    if runs.count % 2 == 1 { runs.append(0) }
    let dashes = runs.map { SVGText.num(Double($0) * 2.5 + ($0 == 0 ? 0 : 0.5)) }
    return " stroke-dasharray=\"\(dashes.joined(separator: " "))\""
  }

  // MARK: legend and text

  /// The legend's entries wrapped into rows that fit `width`.
  private func legendRows(width: Double) -> [[LegendEntry]] {
    var rows: [[LegendEntry]] = []
    var row: [LegendEntry] = []
    var used = 0.0
    for entry in model.legend {
      let w = Self.entryWidth(entry)
      if used + w > width, !row.isEmpty {
        rows.append(row)
        row = []
        used = 0
      }
      row.append(entry)
      used += w
    }
    if !row.isEmpty { rows.append(row) }
    return rows
  }

  private static func entryWidth(_ e: LegendEntry) -> Double {
    30 + SVGText.width(e.label, size: legendSize) + 16
  }

  private func legendSVG(_ rows: [[LegendEntry]], x: Double, y: Double) -> String {
    var out = "<g class=\"legend\">\n"
    for (r, row) in rows.enumerated() {
      var px = x
      let py = y + Double(r) * 18
      for e in row {
        let color = paint.color(e.style.role)
        if let kind = e.nonFinite {
          // The count of NaN / ±Inf points: its marker, not a line sample.
          out += text(
            String(kind.glyph(ascii: false)), x: px + 12, y: py + Self.legendSize * 0.35,
            size: Self.legendSize, anchor: "middle", role: NonFinite.style.role)
        } else if e.band {
          out +=
            "<rect x=\"\(SVGText.num(px))\" y=\"\(SVGText.num(py - 5))\" width=\"24\" height=\"10\""
            + " style=\"fill:\(color)\" fill-opacity=\"0.3\"/>\n"
        } else {
          out +=
            "<line x1=\"\(SVGText.num(px))\" y1=\"\(SVGText.num(py))\" x2=\"\(SVGText.num(px + 24))\""
            + " y2=\"\(SVGText.num(py))\" style=\"stroke:\(color)\" stroke-width=\"2\""
            + (e.style.dim ? " stroke-opacity=\"0.5\"" : "") + dashAttribute(e.pattern) + "/>\n"
        }
        out += text(
          e.label, x: px + 30, y: py + Self.legendSize * 0.35, size: Self.legendSize,
          anchor: "start", role: .normal, extra: " class=\"legend-label\"")
        px += Self.entryWidth(e)
      }
    }
    return out + "</g>\n"
  }

  private func text(
    _ s: String, x: Double, y: Double, size: Double, anchor: String, role: ColorRole,
    extra: String = ""
  ) -> String {
    "<text x=\"\(SVGText.num(x))\" y=\"\(SVGText.num(y))\" font-size=\"\(SVGText.num(size))\""
      + " text-anchor=\"\(anchor)\" style=\"fill:\(paint.color(role))\"\(extra)>"
      + SVGText.escape(s) + "</text>\n"
  }
}

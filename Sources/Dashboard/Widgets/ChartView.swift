import Foundation

/// Draws a `ChartModel` into a rectangle: border and title, y-axis ticks,
/// the lines on a dot canvas, x-axis step labels and a legend.
struct ChartView {
  var model: ChartModel
  var glyphs: GlyphMode
  var focused: Bool

  /// Width of the y-axis labels.
  static let labelWidth = 7

  /// The y-axis labels' width in a chart whose inside is `inner`.
  static func yLabelWidth(_ inner: Rect) -> Int { inner.width >= 24 ? labelWidth : 0 }

  /// The columns the plot takes in a chart drawn in `rect` (what the mouse
  /// hit-tests steps against).
  static func plotColumns(in rect: Rect) -> (x: Int, width: Int) {
    let inner = rect.inset(by: 1)
    let labelW = yLabelWidth(inner)
    return (inner.x + labelW + 1, max(0, inner.width - labelW - 1))
  }

  func render(in rect: Rect, into grid: inout CellGrid) {
    let ascii = glyphs == .ascii
    var title = model.title
    if !model.notes.isEmpty { title += " (" + model.notes.joined(separator: ", ") + ")" }
    let border = Style(focused ? .borderFocused : .border)
    grid.box(rect, title: "", style: border, ascii: ascii)
    grid.put(
      SafeText(title), x: rect.x + 1, y: rect.y, maxWidth: rect.width - 2,
      style: Style(.title, bold: focused))
    let inner = rect.inset(by: 1)
    guard inner.width >= 4, inner.height >= 1 else { return }
    guard let steps = model.steps, !model.lines.isEmpty else {
      let note = model.emptyNote ?? "no data"
      grid.put(
        note, x: inner.x + max(0, (inner.width - note.count) / 2), y: inner.y + inner.height / 2,
        maxWidth: inner.width, style: Style(.dim))
      return
    }
    // The legend wraps onto up to three rows when the chart is tall enough
    // to keep at least six rows of plot.
    let legendLines = legendLayout(width: inner.width)
    let legendRows =
      inner.height >= 5 ? min(legendLines.count, max(1, (inner.height - 8) / 2), 3) : 0
    let plotH = inner.height - 2 - legendRows
    let labelW = Self.yLabelWidth(inner)
    let plot = Rect(
      x: inner.x + labelW + 1, y: inner.y, width: inner.width - labelW - 1, height: plotH)
    guard plot.width >= 2, plot.height >= 1 else { return }
    var (lo, hi) = yRange(steps)
    var log = false
    if model.logScale {
      if lo > 0 {
        log = true
        lo = log10(lo)
        hi = log10(hi)
      } else {
        title += " (log n/a)"
        grid.put(
          SafeText(title), x: rect.x + 1, y: rect.y, maxWidth: rect.width - 2,
          style: Style(.title, bold: focused))
      }
    }
    if hi - lo < 1e-12 {
      let pad = max(abs(hi) * 0.1, 1e-3)
      lo -= pad
      hi += pad
    } else {
      let pad = (hi - lo) * 0.04
      lo -= pad
      hi += pad
    }
    var canvas = DotCanvas(columns: plot.width, rows: plot.height, glyphs: glyphs)
    let scale = YScale(lo: lo, hi: hi, dots: canvas.dotHeight, log: log)
    for band in model.bands { plotBand(band, steps, scale, &canvas) }
    // Columns (in dots) where a line goes past a clipped range: top, bottom.
    var clipped: [(column: Int, top: Bool, style: Style)] = []
    for line in model.lines {
      plotLine(line, steps, scale, &canvas, &clipped)
    }
    canvas.draw(into: &grid, x: plot.x, y: plot.y)
    let perCellX = max(1, canvas.dotWidth / max(1, plot.width))
    for c in clipped {
      let x = plot.x + min(plot.width - 1, c.column / perCellX)
      grid[x, c.top ? plot.y : plot.maxY - 1] = Cell(
        c.top ? (ascii ? "'" : "↑") : (ascii ? "," : "↓"), c.style)
    }
    drawNonFinite(plot, steps, &grid)
    if let c = model.cursor, steps.contains(c) { drawCursor(c, plot, steps, &grid) }
    drawYAxis(plot, scale, labelW, &grid, canvas)
    drawXAxis(plot, steps, &grid)
    if legendRows > 0 {
      let rows = Rect(
        x: inner.x, y: inner.maxY - legendRows, width: inner.width, height: legendRows)
      drawLegend(Array(legendLines.prefix(legendRows)), in: rows, &grid)
    }
  }

  /// Marks each NaN and ±Inf point at its step on the plot's top edge
  /// (NaN, +Inf) or bottom edge (-Inf), over whatever is drawn there: a
  /// line cannot show them, and leaving them out hides a run blowing up.
  private func drawNonFinite(_ plot: Rect, _ steps: ClosedRange<Int>, _ grid: inout CellGrid) {
    let ascii = glyphs == .ascii
    let span = Double(max(1, steps.upperBound - steps.lowerBound))
    for line in model.lines where line.data.hasNonFinite {
      let points = line.data.points
      for k in line.data.nonFiniteSpan(in: steps) {
        let i = line.data.nonFinite[k]
        guard let kind = NonFinite(points.values[i]) else { continue }
        let t = Double(points.steps[i] - steps.lowerBound) / span
        let x = plot.x + min(plot.width - 1, max(0, Int((t * Double(plot.width - 1)).rounded())))
        let y = kind.atTop ? plot.y : plot.maxY - 1
        grid[x, y] = Cell(kind.glyph(ascii: ascii), NonFinite.style)
      }
    }
  }

  /// The inspect cursor: a dim vertical line at its step and a box with
  /// the step and each line's value there (the last logged at or before
  /// it), on the half of the plot away from the cursor so the data at the
  /// cursor stays in view.
  private func drawCursor(
    _ step: Int, _ plot: Rect, _ steps: ClosedRange<Int>, _ grid: inout CellGrid
  ) {
    let ascii = glyphs == .ascii
    let span = Double(max(1, steps.upperBound - steps.lowerBound))
    let t = Double(step - steps.lowerBound) / span
    let x = plot.x + min(plot.width - 1, max(0, Int((t * Double(plot.width - 1)).rounded())))
    for y in plot.y..<plot.maxY where grid[x, y].char == " " {
      grid[x, y] = Cell(ascii ? ":" : "┊", Style(.dim))
    }
    var rows = [model.cursorLabel.isEmpty ? "step " + NumberFormat.step(step) : model.cursorLabel]
    var styles = [Style(.title, bold: true)]
    for line in model.lines where !line.style.dim {
      var value = line.point(atOrBefore: step).map { NumberFormat.compact($0.value) } ?? "-"
      // Smoothing on: the smoothed value, then the value logged there.
      if let raw = line.raw {
        let p = raw.points
        let i = p.firstIndex(atOrAfter: step &+ 1) - 1
        value +=
          " (raw " + (i >= 0 && i < p.count ? NumberFormat.compact(p.value(at: i)) : "-") + ")"
      }
      rows.append(value + " " + line.name)
      styles.append(line.style)
    }
    let width = min(plot.width / 2 - 1, (rows.map { SafeText($0).width }.max() ?? 0) + 2)
    let height = min(plot.height, rows.count + 2)
    guard width >= 8, height >= 3 else { return }
    let left = x >= plot.x + plot.width / 2
    let box = Rect(
      x: left ? plot.x + 1 : plot.maxX - width - 1, y: plot.y, width: width, height: height)
    grid.fill(box, with: Cell(" ", .plain))
    grid.box(box, style: Style(.dim), ascii: ascii)
    for (i, row) in rows.prefix(height - 2).enumerated() {
      grid.put(
        SafeText(row), x: box.x + 1, y: box.y + 1 + i, maxWidth: box.width - 2, style: styles[i])
    }
  }

  /// Maps values to dot rows (0 at the top).
  struct YScale {
    var lo: Double
    var hi: Double
    var dots: Int
    var log: Bool

    /// True when `v` lies above (or below) the plotted range.
    func beyond(_ v: Double, above: Bool) -> Bool {
      let t = log ? log10(max(v, Double.leastNormalMagnitude)) : v
      return above ? t > hi : t < lo
    }

    func row(_ v: Double) -> Int {
      let t = log ? log10(max(v, Double.leastNormalMagnitude)) : v
      let f = (hi - t) / (hi - lo) * Double(dots - 1)
      guard f.isFinite else { return dots - 1 }
      return min(max(Int(f.rounded()), 0), dots - 1)
    }
  }

  /// The 5th and 95th percentiles of the finite values on screen (a
  /// sample of up to ~2000 points a line, evenly spaced: a 1M-point window
  /// is not sorted per frame); nil when they do not make a range.
  private func percentileRange(_ steps: ClosedRange<Int>) -> (Double, Double)? {
    var sample: [Double] = []
    for line in model.lines {
      let r = line.data.indices(in: steps)
      let every = max(1, r.count / 2000)
      for i in stride(from: r.lowerBound, to: r.upperBound, by: every) {
        let v = line.data.points.value(at: i)
        if v.isFinite { sample.append(v) }
      }
    }
    guard sample.count >= 2 else { return nil }
    sample.sort()
    let lo = sample[sample.count * 5 / 100]
    let hi = sample[min(sample.count - 1, sample.count * 95 / 100)]
    return lo < hi ? (lo, hi) : nil
  }

  /// The finite min/max of every line over `steps` (0 included for a zero
  /// line), or the 5th–95th percentiles when outliers are clipped.
  private func yRange(_ steps: ClosedRange<Int>) -> (Double, Double) {
    if model.clipOutliers, let r = percentileRange(steps) { return r }
    return model.valueRange(over: steps) ?? (0, 1)
  }

  /// Draws one line: per dot column the min–max span of its points, joined
  /// to the previous column so the trace stays connected.
  private func plotLine(
    _ line: ChartLine, _ steps: ClosedRange<Int>, _ scale: YScale, _ canvas: inout DotCanvas,
    _ clipped: inout [(column: Int, top: Bool, style: Style)]
  ) {
    let s = line.data.points
    let index = line.data.index
    let w = canvas.dotWidth
    guard w > 0 else { return }
    // Step lo maps to dot column 0 and hi to the last: column c holds the
    // steps that round to it.
    let perColumn = Double(steps.upperBound - steps.lowerBound) / Double(max(1, w - 1))
    var prev: (Int, Int)?
    let stepCol = s.steps
    s.values.withUnsafeBufferPointer { values in
      var idx = stepCol.firstIndex(atOrAfter: steps.lowerBound, from: 0)
      let end = stepCol.firstIndex(atOrAfter: steps.upperBound &+ 1, from: idx)
      guard idx < end else { return }
      // Column edges snap to blocks of the min/max index that hold under a
      // quarter of a column's points: a point moves less than a quarter
      // column, no point is lost, and a column reads a few index entries
      // instead of raw values at both edges (cache misses, at 1M points).
      let block = MinMaxIndex.block(forPointsPerColumn: Double(end - idx) / Double(w))
      // Steps are usually evenly spaced: guess each edge's index from that.
      let stepSpan = Double(max(1, stepCol[end - 1] - stepCol[idx]))
      let density = Double(end - 1 - idx) / stepSpan
      let firstStep = stepCol[idx]
      let start = idx
      for c in 0..<w where idx < end {
        let edge = (Double(c) + 0.5) * perColumn
        var stop = end
        if c < w - 1 && perColumn > 0 {
          let target = steps.lowerBound + Int(edge.rounded(.up))
          let guess = start + Int((Double(target - firstStep) * density).rounded(.up))
          stop = min(end, stepCol.firstIndex(atOrAfter: target, from: idx, guess: guess))
          if block > 1 { stop = max(idx, stop / block * block) }
        }
        guard stop > idx else { continue }
        defer { idx = stop }
        guard let mm = index.range(in: values, idx..<stop) else { continue }
        if model.clipOutliers {
          // Past the fitted range: marked on the edge rather than drawn flat there.
          if scale.beyond(mm.max, above: true) { clipped.append((c, true, line.style)) }
          if scale.beyond(mm.min, above: false) { clipped.append((c, false, line.style)) }
        }
        let first = values[idx].isFinite ? Double(values[idx]) : mm.min
        let last = values[stop - 1].isFinite ? Double(values[stop - 1]) : mm.max
        let rFirst = scale.row(first)
        if let p = prev, p.0 != c - 1 || abs(p.1 - rFirst) > 1 {
          canvas.line(
            from: p, to: (c, rFirst), line.style, pattern: line.pattern, marker: line.marker)
        }
        if line.pattern.draws(c) {
          let top = scale.row(mm.max)
          let bottom = scale.row(mm.min)
          canvas.vertical(
            c, from: min(top, rFirst), to: max(bottom, rFirst), line.style, marker: line.marker)
        }
        prev = (c, scale.row(last))
      }
    }
  }

  /// Fills a seed band: per dot column, the dots between its low and high
  /// series, interpolated between logged steps so the band has no gaps.
  private func plotBand(
    _ band: ChartBand, _ steps: ClosedRange<Int>, _ scale: YScale, _ canvas: inout DotCanvas
  ) {
    let low = band.low.points
    let high = band.high.points
    let w = canvas.dotWidth
    guard w > 0, !low.isEmpty, high.count == low.count else { return }
    let span = Double(max(1, steps.upperBound - steps.lowerBound))
    func column(_ step: Int) -> Double {
      Double(step - steps.lowerBound) / span * Double(w - 1)
    }
    func fill(_ x: Int, _ l: Double, _ h: Double) {
      canvas.vertical(
        x, from: scale.row(h), to: scale.row(l), band.style, marker: ChartBand.asciiGlyph)
    }
    // From the last point before the window to the first after it.
    let first = max(0, low.firstIndex(atOrAfter: steps.lowerBound) - 1)
    let last = min(low.count - 1, low.firstIndex(atOrAfter: steps.upperBound &+ 1))
    guard first <= last else { return }
    var prev: (c: Double, l: Double, h: Double)?
    for i in first...last {
      let c = column(low.steps[i])
      let l = low.value(at: i)
      let h = high.value(at: i)
      guard l.isFinite, h.isFinite else {
        prev = nil
        continue
      }
      if let p = prev, c > p.c {
        let a = max(0, Int(p.c.rounded(.up)))
        let b = min(w - 1, Int(c.rounded(.down)))
        if a <= b {
          for x in a...b {
            let t = (Double(x) - p.c) / (c - p.c)
            fill(x, p.l + (l - p.l) * t, p.h + (h - p.h) * t)
          }
        }
      } else {
        let x = Int(c.rounded())
        if x >= 0 && x < w { fill(x, l, h) }
      }
      prev = (c, l, h)
    }
  }

  private func drawYAxis(
    _ plot: Rect, _ scale: YScale, _ labelW: Int, _ grid: inout CellGrid, _ canvas: DotCanvas
  ) {
    let ascii = glyphs == .ascii
    let axisX = plot.x - 1
    let perCell = canvas.dotHeight / max(1, plot.height)
    for y in plot.y..<plot.maxY { grid[axisX, y] = Cell(ascii ? "|" : "│", Style(.axis)) }
    let (ticks, step) = NumberFormat.ticks(scale.lo, scale.hi, count: max(2, plot.height / 2))
    var zeroRow: Int?
    for t in ticks {
      let row = plot.y + scale.row(scale.log ? pow(10, t) : t) / max(1, perCell)
      guard row >= plot.y, row < plot.maxY else { continue }
      grid[axisX, row] = Cell(ascii ? "+" : "┤", Style(.axis))
      if labelW > 0 {
        let text = scale.log ? NumberFormat.compact(pow(10, t)) : NumberFormat.tick(t, step: step)
        let label = SafeText(text).truncated(to: labelW)
        grid.put(label, x: axisX - label.width, y: row, style: Style(.axis))
      }
      if t == 0 && !scale.log { zeroRow = row }
    }
    guard model.zeroLine, !scale.log, scale.lo < 0, scale.hi > 0 else { return }
    let row = zeroRow ?? plot.y + scale.row(0) / max(1, perCell)
    for x in plot.x..<plot.maxX where !canvas.isSet(cell: x - plot.x, row - plot.y) {
      grid[x, row] = Cell(ascii ? "-" : "┈", Style(.zeroLine))
    }
    if zeroRow == nil, labelW > 0 {
      grid.put("0", x: axisX - 1, y: row, style: Style(.zeroLine))
    }
  }

  private func drawXAxis(_ plot: Rect, _ steps: ClosedRange<Int>, _ grid: inout CellGrid) {
    let ascii = glyphs == .ascii
    let axisY = plot.maxY
    let labelY = axisY + 1
    grid[plot.x - 1, axisY] = Cell(ascii ? "+" : "└", Style(.axis))
    for x in plot.x..<plot.maxX { grid[x, axisY] = Cell(ascii ? "-" : "─", Style(.axis)) }
    let n = max(2, min(6, plot.width / 14))
    var nextFree = plot.x - 1
    for i in 0..<n {
      let col = plot.x + (plot.width - 1) * i / (n - 1)
      let step =
        steps.lowerBound
        + Int(Double(steps.upperBound - steps.lowerBound) * Double(i) / Double(n - 1))
      let text = SafeText(
        XAxisMap.label(step, axis: model.xAxis, span: steps.upperBound - steps.lowerBound))
      var x = col - text.width / 2
      if i == 0 { x = col }
      if i == n - 1 { x = col - text.width + 1 }
      guard x > nextFree else { continue }
      grid[col, axisY] = Cell(ascii ? "+" : "┬", Style(.axis))
      grid.put(text, x: x, y: labelY, maxWidth: plot.maxX - x, style: Style(.axis))
      nextFree = x + text.width
    }
    // Another axis than steps says what it is, on the axis line between ticks.
    if model.xAxis != .step {
      let name = SafeText(" " + model.xAxis.label + " ")
      let x = plot.x + (plot.width - name.width) / 2
      if plot.width >= name.width + 8 {
        grid.put(name, x: x, y: axisY, maxWidth: name.width, style: Style(.axis))
      }
    }
  }

  /// Entry widths on screen: a three-cell sample, a space, the label, two spaces.
  private func entryWidth(_ i: Int, _ width: Int) -> Int {
    4 + SafeText(model.legend[i].label, limit: width).width + 2
  }

  /// Legend entries per row, filled greedily (at least one row).
  private func legendLayout(width: Int) -> [[Int]] {
    var rows: [[Int]] = [[]]
    var used = 0
    for i in model.legend.indices {
      let w = entryWidth(i, width)
      if used + w - 2 > width && !(rows[rows.count - 1].isEmpty) {
        rows.append([])
        used = 0
      }
      rows[rows.count - 1].append(i)
      used += w
    }
    return rows
  }

  /// "+N", and, when runs are among the left-out entries and it fits,
  /// where they are named ("+7, see runs pane": the runs' swatches).
  private func overflowNote(_ n: Int, room: Int = Int.max) -> SafeText {
    if let place = model.legendOverflow, n > 0, model.legend.suffix(n).contains(where: \.run),
      "+\(n), \(place)".count <= room
    {
      return SafeText("+\(n), \(place)")
    }
    return SafeText("+\(n)")
  }

  /// Draws the legend rows; when entries are left over, the last row ends in "+N".
  private func drawLegend(_ lines: [[Int]], in rect: Rect, _ grid: inout CellGrid) {
    let shown = lines.reduce(0) { $0 + $1.count }
    let hidden = model.legend.count - shown
    for (r, line) in lines.enumerated() {
      let y = rect.y + r
      var x = rect.x
      let lastRow = r == lines.count - 1
      for (k, i) in line.enumerated() {
        let entry = model.legend[i]
        let label = SafeText(entry.label, limit: rect.width)
        // On the last row, keep room for the "+N" note of what does not fit.
        let reserve =
          lastRow && hidden > 0 && (k == line.count - 1 || model.legendOverflow != nil)
          ? 2 + overflowNote(hidden + line.count - k - 1).width : 0
        if x + 4 + label.width + reserve > rect.maxX && x > rect.x {
          grid.put(
            overflowNote(hidden + line.count - k, room: rect.maxX - x), x: x, y: y,
            style: Style(.dim))
          break
        }
        var sample = DotCanvas(columns: 3, rows: 1, glyphs: glyphs)
        if let kind = entry.nonFinite {
          grid.put(String(kind.glyph(ascii: glyphs == .ascii)), x: x + 1, y: y, style: entry.style)
        } else if entry.band {
          for dx in 0..<sample.dotWidth {
            sample.vertical(
              dx, from: 0, to: sample.dotHeight - 1, entry.style, marker: entry.marker)
          }
        } else if glyphs == .braille {
          for dx in 0..<6 where entry.pattern.draws(dx) { sample.set(dx, 2, entry.style) }
        } else {
          for dx in 0..<3 { sample.set(dx, 0, entry.style, marker: entry.marker) }
        }
        sample.draw(into: &grid, x: x, y: y)
        x += 4
        x += grid.put(label, x: x, y: y, maxWidth: rect.maxX - x, style: entry.style) + 2
        if lastRow && hidden > 0 && k == line.count - 1 && x < rect.maxX {
          grid.put(overflowNote(hidden, room: rect.maxX - x), x: x, y: y, style: Style(.dim))
        }
      }
    }
  }

}

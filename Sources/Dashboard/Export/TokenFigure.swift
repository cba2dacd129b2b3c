import RunLog

/// The token view of one probe as a figure: the rows `TokenRows` lays out
/// for the screen (prompt, shared prefix, chosen and rejected tails with
/// the first difference marked, Δ totals, the Δ scale), each token in its
/// level's colour, as SVG text or HTML.
public enum TokenFigure {
  /// Why there is no token view to draw.
  public struct Problem: Error, CustomStringConvertible {
    public let description: String
  }

  /// Columns of the token view in a figure.
  static let columns = 96
  static let fontSize = 13.0
  /// A monospace face's advance (0.6 em) and the row height.
  static let charWidth = fontSize * 0.6
  static let rowHeight = fontSize * 1.45

  /// The probe record of `run` to show: probe `pair` (nil: its first) at
  /// its latest evaluation.
  static func record(_ run: RunEntry, probe: Int?) -> Result<ProbeRecord, Problem> {
    guard let log = run.probes, let first = log.pairs.first else {
      return .failure(Problem(description: "\(run.manifest.name) logged no probes (probes.jsonl)"))
    }
    let pair = probe ?? first
    guard let record = log.record(pair: pair, atOrBefore: nil) else {
      let known = log.pairs.map(String.init).joined(separator: ", ")
      return .failure(
        Problem(description: "\(run.manifest.name) has no probe \(pair) (probes: \(known))"))
    }
    return .success(record)
  }

  /// The token view of the first marked run's probe as a standalone SVG.
  public static func svg(_ state: DashboardState, probe: Int?, paint: FigurePaint) -> Result<
    String, Problem
  > {
    guard let run = state.chartRuns.first(where: { $0.probes != nil }) ?? state.chartRuns.first
    else { return .failure(Problem(description: "no runs")) }
    return record(run, probe: probe).map { record in
      let rows = TokenRows(record: record, width: columns, glyphRow: false, ascii: false).rows
      let w = Double(columns) * charWidth + 32
      let h = Double(rows.count) * rowHeight + 56
      var out = FigureDocument.header(width: w, height: h, paint: paint)
      out +=
        "<text x=\"16\" y=\"24\" font-size=\"14\" font-weight=\"bold\" style=\"fill:\(paint.color(.normal))\">"
        + SVGText.escape(title(run, record)) + "</text>\n"
      out += rowsSVG(rows, x: 16, y: 44, paint: paint)
      return out + "</svg>\n"
    }
  }

  /// `tokens NAME  probe P  step S`.
  static func title(_ run: RunEntry, _ record: ProbeRecord) -> String {
    "tokens \(run.manifest.name)  probe \(record.pair)  step \(record.step)"
  }

  /// Cell rows as monospace SVG text: each stretch of one style placed at
  /// its column (so alignment never depends on the font's spaces).
  static func rowsSVG(_ rows: [[Cell]], x: Double, y: Double, paint: FigurePaint) -> String {
    var out = "<g font-family=\"\(SVGText.mono)\" font-size=\"\(SVGText.num(fontSize))\">\n"
    for (r, row) in rows.enumerated() {
      let baseline = y + Double(r) * rowHeight + fontSize
      for run in stretches(row) {
        let px = x + Double(run.column) * charWidth
        let color = paint.color(run.style.role)
        var attrs = run.style.bold ? " font-weight=\"bold\"" : ""
        if run.style.underline { attrs += " text-decoration=\"underline\"" }
        var fill = color
        if run.style.reverse {
          out +=
            "<rect x=\"\(SVGText.num(px))\" y=\"\(SVGText.num(baseline - fontSize))\""
            + " width=\"\(SVGText.num(Double(run.width) * charWidth))\""
            + " height=\"\(SVGText.num(rowHeight))\" style=\"fill:\(color)\"/>\n"
          fill = paint.background
        }
        out +=
          "<text x=\"\(SVGText.num(px))\" y=\"\(SVGText.num(baseline))\"\(attrs)"
          + " style=\"fill:\(fill)\">\(SVGText.escape(run.text))</text>\n"
      }
    }
    return out + "</g>\n"
  }

  /// Cell rows as HTML (inside a `<pre>`): one span per stretch of a style,
  /// coloured by the page's theme variables.
  static func rowsHTML(_ rows: [[Cell]]) -> String {
    var out = ""
    for row in rows {
      var col = 0
      for run in stretches(row) {
        out += String(repeating: " ", count: max(0, run.column - col))
        var css = "color:" + FigurePaint.cssVariables.color(run.style.role)
        if run.style.bold { css += ";font-weight:bold" }
        if run.style.underline { css += ";text-decoration:underline" }
        if run.style.reverse {
          css =
            "color:" + FigurePaint.cssVariables.background + ";background:"
            + FigurePaint.cssVariables.color(run.style.role)
            + (run.style.bold ? ";font-weight:bold" : "")
        }
        out += "<span style=\"\(css)\">\(SVGText.escape(run.text))</span>"
        col = run.column + run.width
      }
      out += "\n"
    }
    return out
  }

  /// A row cut into stretches of one style without spaces (spaces are gaps
  /// between them, except inside a reversed stretch).
  static func stretches(_ row: [Cell]) -> [(column: Int, width: Int, text: String, style: Style)] {
    var out: [(column: Int, width: Int, text: String, style: Style)] = []
    var col = 0
    for cell in row {
      defer { col += 1 }
      if cell.char == Cell.continuationChar {
        if !out.isEmpty { out[out.count - 1].width += 1 }
        continue
      }
      if cell.char == " " && !cell.style.reverse { continue }
      if let last = out.last, last.style == cell.style, last.column + last.width == col {
        out[out.count - 1].text.append(cell.char)
        out[out.count - 1].width += 1
      } else {
        out.append((col, 1, String(cell.char), cell.style))
      }
    }
    return out
  }
}

import RunLog

/// The rows of the token view for one probe at one evaluation, laid out for
/// a given width: the prompt, the shared prefix once, then the chosen and
/// rejected tails one above the other (the first difference marked), the Δ
/// totals and the scale's legend. Pure; `TokenScreen` draws the rows.
///
/// Each token's Δ = log πθ − log πref is one of seven levels
/// (`ColorRole.diverging`); with colour the token is drawn in its level's
/// colour, without colour (`glyphRow`) a row of level glyphs follows each
/// row of tokens, so the view reads on any terminal.
struct TokenRows {
  let record: ProbeRecord
  /// Columns available.
  let width: Int
  /// Draw a glyph row under each row of tokens (no colour).
  let glyphRow: Bool
  let ascii: Bool

  /// Width of the label column (`rejected` plus the first-difference marker).
  static let labelWidth = 10

  /// |Δ| thresholds (nats) between the levels 0|1, 1|2 and 2|3.
  static let thresholds = [0.05, 0.5, 2.0]

  /// The glyph of each level, −3 … +3 (ASCII, so it reads anywhere).
  static let glyphs: [Character] = ["V", "v", ".", " ", "'", "^", "A"]

  /// The level of a change of `delta` nats: sign times the thresholds passed.
  static func level(_ delta: Double) -> Int {
    guard delta.isFinite else { return 0 }
    let a = abs(delta)
    let l = thresholds.filter { a >= $0 }.count
    return delta < 0 ? -l : l
  }

  /// A token as the view writes it: a newline token reads as a newline mark
  /// (`↵`, or `\n` in ASCII), since the maths data's solutions are lines and
  /// `\x0a` reads as noise; every other control character stays escaped by
  /// `SafeText`.
  static func shown(_ token: String, ascii: Bool) -> String {
    token == "\n" ? (ascii ? "\\n" : "↵") : token
  }

  /// The rows, top to bottom.
  var rows: [[Cell]] {
    var out: [[Cell]] = []
    let room = max(1, width - Self.labelWidth)
    out += textRows("prompt", record.prompt, room: room)
    out.append([])
    let c = record.chosenDeltas
    let r = record.rejectedDeltas
    let fd = record.firstDiff
    out += tokenRows(
      "shared", marker: " ", Array(record.chosenTokens.prefix(fd)), Array(c.prefix(fd)),
      room: room, markFirst: false, empty: "(none: they differ from the first token)")
    out += tokenRows(
      "chosen", marker: ">", Array(record.chosenTokens.dropFirst(fd)), Array(c.dropFirst(fd)),
      room: room, markFirst: true, empty: "(nothing after the shared prefix)")
    out += tokenRows(
      "rejected", marker: ">", Array(record.rejectedTokens.dropFirst(fd)), Array(r.dropFirst(fd)),
      room: room, markFirst: true, empty: "(nothing after the shared prefix)")
    out.append([])
    out += totalsRows
    out.append([])
    out += legendRows
    return out
  }

  /// `label` then `text` (sanitized, newlines as `shown`), wrapped at `room`
  /// columns between characters (an escape such as `\x1b` stays on one row);
  /// at most 16 rows.
  private func textRows(_ label: String, _ text: String, room: Int) -> [[Cell]] {
    var out: [[Cell]] = []
    var row: [Cell] = []
    for ch in text.prefix(room * 16) {
      let safe = SafeText(Self.shown(String(ch), ascii: ascii), limit: room)
      if row.count + safe.width > room, !row.isEmpty {
        out.append(labelCells(out.isEmpty ? label : "", marker: " ") + row)
        row = []
        if out.count == 16 { return out }
      }
      row += safe.truncated(to: room).columns.map { Cell($0, .plain) }
    }
    out.append(labelCells(out.isEmpty ? label : "", marker: " ") + row)
    return out
  }

  /// `label` and `tokens` coloured by `deltas`, wrapped at `room` columns,
  /// with a glyph row under each row when there is no colour.
  private func tokenRows(
    _ label: String, marker: String, _ tokens: [String], _ deltas: [Double], room: Int,
    markFirst: Bool, empty: String
  ) -> [[Cell]] {
    guard !tokens.isEmpty else {
      return [
        labelCells(label, marker: marker)
          + SafeText(empty, limit: room).truncated(to: room).columns.map { Cell($0, Style(.dim)) }
      ]
    }
    var out: [[Cell]] = []
    var row: [Cell] = []
    var glyphs: [Cell] = []
    func flush() {
      out.append(labelCells(out.isEmpty ? label : "", marker: out.isEmpty ? marker : " ") + row)
      if glyphRow { out.append(labelCells("", marker: " ") + glyphs) }
      row = []
      glyphs = []
    }
    for (i, token) in tokens.enumerated() {
      let level = Self.level(i < deltas.count ? deltas[i] : 0)
      var text = SafeText(Self.shown(token, ascii: ascii), limit: room)
      if text.width > room { text = text.truncated(to: room) }
      if text.width == 0 { text = SafeText(" ") }
      if row.count + text.width > room { flush() }
      let first = markFirst && i == 0
      let style = Style(
        .diverging(level), bold: abs(level) == 3, reverse: first, underline: first)
      row += text.columns.map { Cell($0, style) }
      glyphs.append(Cell(Self.glyphs[level + 3], .plain))
      glyphs += Array(repeating: Cell(" ", .plain), count: text.width - 1)
    }
    if !row.isEmpty { flush() }
    return out
  }

  private func labelCells(_ label: String, marker: String) -> [Cell] {
    let padded = label.padding(toLength: Self.labelWidth - 1, withPad: " ", startingAt: 0)
    return padded.map { Cell($0, Style(.accent, bold: true)) } + [
      Cell(Character(marker), Style(.warning, bold: true))
    ]
  }

  /// The Δ totals of prefix, from-the-edit and whole, chosen and rejected.
  private var totalsRows: [[Cell]] {
    let header =
      pad(ascii ? "delta" : "Δ", 9) + pad("prefix", 9, right: true)
      + pad("from edit", 10, right: true) + pad("whole", 9, right: true)
    func line(_ name: String, _ t: ProbeDeltaTotals) -> [Cell] {
      var cells = pad(name, 9).map { Cell($0, Style(.accent, bold: true)) }
      for (v, w) in [(t.prefix, 9), (t.fromEdit, 10), (t.whole, 9)] {
        let text = pad(NumberFormat.compact(v), w, right: true)
        let level = Self.level(v)
        cells += text.map { Cell($0, Style(glyphRow ? .normal : .diverging(level))) }
      }
      return cells
    }
    return [
      header.map { Cell($0, Style(.title, bold: true)) },
      line("chosen", record.chosenTotals),
      line("rejected", record.rejectedTotals),
    ].map { Array($0.prefix(width)) }
  }

  /// What the colours or glyphs mean: one entry per level, wrapped between
  /// entries, then what Δ is.
  private var legendRows: [[Cell]] {
    let t = Self.thresholds.map { NumberFormat.compact($0) }
    let names = [
      "<-\(t[2])", "<-\(t[1])", "<-\(t[0])", "~0", ">\(t[0])", ">\(t[1])", ">\(t[2])",
    ]
    var out: [[Cell]] = []
    var row: [Cell] = "nats ".map { Cell($0, Style(.dim)) }
    for (i, level) in ColorRole.divergingLevels.enumerated() {
      let sample: Character = glyphRow ? Self.glyphs[i] : (ascii ? "#" : "█")
      let style = glyphRow ? Style.plain : Style(.diverging(level), bold: abs(level) == 3)
      let entry = [Cell(sample, style)] + (" " + names[i] + "  ").map { Cell($0, Style(.dim)) }
      if row.count + entry.count - 2 > width, !row.isEmpty {
        out.append(row)
        row = []
      }
      row += entry
    }
    out.append(row)
    let explain =
      ascii
      ? "delta = log p_theta - log p_ref of each token: below 0 fell, above 0 rose"
      : "Δ = log πθ − log πref of each token: below 0 fell, above 0 rose"
    return out.map { Array($0.prefix(width)) }
      + wrapCells(SafeText(explain).columns.map { Cell($0, Style(.dim)) })
  }

  /// Cells cut into rows of `width`.
  private func wrapCells(_ cells: [Cell]) -> [[Cell]] {
    guard width > 0 else { return [] }
    var out: [[Cell]] = []
    var i = 0
    while i < cells.count {
      out.append(Array(cells[i..<min(cells.count, i + width)]))
      i += width
    }
    return out
  }

  private func pad(_ s: String, _ w: Int, right: Bool = false) -> String {
    guard s.count < w else { return String(s.prefix(w)) }
    let fill = String(repeating: " ", count: w - s.count)
    return right ? fill + s : s + fill
  }
}

import RunLog

/// The token view: one probe of one run at one evaluation, token by token
/// (`TokenRows`), in a box titled with the run, the probe and the step.
struct TokenScreen {
  let state: DashboardState
  let run: RunEntry

  func render(in rect: Rect, into grid: inout CellGrid) {
    let ascii = state.config.glyphs == .ascii
    grid.box(rect, style: Style(.borderFocused), ascii: ascii)
    let inner = rect.inset(by: 1)
    guard inner.width >= 4, inner.height >= 1 else { return }
    let log = run.probes
    var title = "tokens " + run.manifest.name
    var rows: [[Cell]]
    if let log, let record = state.tokenRecord(run) {
      let pairs = log.pairs
      let steps = log.steps
      let n = (pairs.firstIndex(of: record.pair) ?? 0) + 1
      let e = (steps.firstIndex(of: record.step) ?? 0) + 1
      title +=
        "  probe \(record.pair) (\(n)/\(pairs.count))  step \(record.step) (eval \(e)/\(steps.count))"
      rows =
        TokenRows(
          record: record, width: inner.width,
          glyphRow: state.config.noColor || ascii, ascii: ascii
        ).rows
    } else {
      rows = message(log == nil ? "reading probes.jsonl ..." : Self.noProbes, inner.width)
    }
    if let error = log?.error {
      rows.append([])
      rows += message("probes.jsonl: \(error)", inner.width, .bad)
    }
    if let log, log.badCount > 0 {
      let s = log.badCount == 1 ? "" : "s"
      let last = log.recentBad.last.map { ": last \($0.description)" } ?? ""
      rows.append([])
      rows += message("\(log.badCount) bad line\(s) in probes.jsonl\(last)", inner.width, .bad)
    }
    grid.put(
      SafeText(title), x: rect.x + 1, y: rect.y, maxWidth: rect.width - 2,
      style: Style(.title, bold: true))
    let scroll = min(state.tokenScroll, max(0, rows.count - inner.height))
    for (i, row) in rows.dropFirst(scroll).prefix(inner.height).enumerated() {
      for (x, cell) in row.prefix(inner.width).enumerated() {
        grid[inner.x + x, inner.y + i] = cell
      }
    }
    if rows.count - scroll > inner.height {
      grid.put("more: PgDn", x: rect.maxX - 12, y: rect.maxY - 1, maxWidth: 11, style: Style(.dim))
    }
  }

  /// Shown for a run without probes.
  static let noProbes =
    "no probes logged: probes.jsonl is missing or empty (SFT runs, runs trained with"
    + " --probes 0 and other trainers' runs have none)"

  /// `text` (sanitized) wrapped at `width` columns, at most four rows.
  private func message(_ text: String, _ width: Int, _ role: ColorRole = .dim) -> [[Cell]] {
    let cells = SafeText(text, limit: width * 4).columns.map { Cell($0, Style(role)) }
    return stride(from: 0, to: min(cells.count, width * 4), by: max(1, width)).map {
      Array(cells[$0..<min(cells.count, $0 + width)])
    }
  }
}

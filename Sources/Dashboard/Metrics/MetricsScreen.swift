/// The metrics screen: a grid of charts, one per logged key of the chart
/// runs, a page at a time (or the focused one enlarged), under a header
/// saying which keys are shown and the key filter.
struct MetricsScreen {
  let state: DashboardState

  func render(into grid: inout CellGrid) {
    let layout = MetricsLayout(state)
    let keys = state.metricKeys
    let m = state.metrics
    let focus = min(m.focus, max(0, keys.count - 1))
    let perPage = layout.perPage(enlarged: m.enlarged)
    let page = focus / perPage
    let first = page * perPage
    let shown = Array(keys.dropFirst(first).prefix(perPage))
    drawHeader(layout.header, keys: keys, first: first, shown: shown.count, &grid)
    guard !shown.isEmpty else {
      let note =
        state.chartRuns.isEmpty
        ? "no run under the cursor: mark runs on the main screen (M)"
        : m.filter.isEmpty ? "the chart runs logged no keys" : "no key matches \(m.filter)"
      let a = layout.area
      grid.put(
        SafeText(note), x: a.x + max(0, (a.width - note.count) / 2), y: a.y + a.height / 2,
        maxWidth: a.width, style: Style(.dim))
      return
    }
    let cells = m.enlarged ? [layout.area] : layout.cells(count: shown.count)
    let looks = RunLooks(state)
    if layout.header.height > 1 {
      drawRunKey(
        Rect(x: 0, y: layout.header.y + 1, width: layout.header.width, height: 1), looks, &grid)
    }
    for (i, rect) in cells.enumerated() {
      var model = ChartModel.key(shown[i].key, state)
      // The key row names the runs: each chart's legend keeps its lines' kinds.
      model.legend.removeAll(where: \.run)
      model.legendOverflow = nil
      if let note = model.flatNote {
        model.lines = []
        model.steps = nil
        model.emptyNote = note
      }
      ChartView(model: model, glyphs: state.config.glyphs, focused: first + i == focus)
        .render(in: rect, into: &grid)
    }
  }

  /// "runs: ● dpo-b0.1  ● dpop-b0.1 ...": each chart run's swatch (its
  /// colour, or its glyph without colour) and name, as many as fit.
  private func drawRunKey(_ rect: Rect, _ looks: RunLooks, _ grid: inout CellGrid) {
    let ascii = state.config.glyphs == .ascii
    let runs = state.chartRuns
    var x = rect.x + 1
    x += grid.put("runs:", x: x, y: rect.y, maxWidth: rect.maxX - x, style: Style(.dim)) + 1
    for (i, run) in runs.enumerated() {
      let name = SafeText(run.manifest.name, limit: 64)
      let rest = runs.count - i
      // Keep room for "+N" unless this is the last run.
      let need = 2 + name.width + (rest > 1 ? 2 + "+\(rest - 1)".count : 0)
      guard x + need <= rect.maxX else {
        grid.put("+\(rest)", x: x, y: rect.y, maxWidth: rect.maxX - x, style: Style(.dim))
        return
      }
      if let swatch = looks.swatch(run, ascii: ascii) { grid[x, rect.y] = swatch }
      x += 2
      x += grid.put(name, x: x, y: rect.y, maxWidth: rect.maxX - x, style: .plain) + 2
    }
  }

  /// "metrics  12-20 of 57 keys  page 2/7  rewards/ logps/  /filter/".
  private func drawHeader(
    _ rect: Rect, keys: [MetricKeyEntry], first: Int, shown: Int, _ grid: inout CellGrid
  ) {
    guard !rect.isEmpty else { return }
    let m = state.metrics
    var x = rect.x
    x += grid.put(
      SafeText(" metrics "), x: x, y: rect.y, maxWidth: rect.maxX - x,
      style: Style(.title, bold: true))
    var parts: [String] = []
    if keys.isEmpty {
      parts.append("0 keys")
    } else {
      let range = shown > 1 ? "\(first + 1)-\(first + shown)" : "\(first + 1)"
      parts.append("\(range) of \(keys.count) key\(keys.count == 1 ? "" : "s")")
      let perPage = MetricsLayout(state).perPage(enlarged: m.enlarged)
      let pages = (keys.count + perPage - 1) / perPage
      if pages > 1 { parts.append("page \(first / perPage + 1)/\(pages)") }
      // The groups on this page, in order: where a page starts in the list.
      var groups: [String] = []
      for e in keys.dropFirst(first).prefix(shown) where !groups.contains(e.group) {
        groups.append(e.group)
      }
      let named = groups.map { $0.isEmpty ? "(no prefix)" : $0 }
      if !(groups.count == 1 && groups[0].isEmpty) { parts.append(named.joined(separator: " ")) }
    }
    if m.editingFilter {
      parts.append("keys: /" + m.filter + "_")
    } else if !m.filter.isEmpty {
      parts.append("keys: /" + m.filter + "/" + (KeyFilter(m.filter).isGlob ? " (glob)" : ""))
    }
    if let c = m.columns { parts.append("\(c) column\(c == 1 ? "" : "s")") }
    grid.put(
      SafeText(parts.joined(separator: "  ")), x: x, y: rect.y, maxWidth: rect.maxX - x,
      style: Style(m.editingFilter ? .accent : .normal))
  }
}

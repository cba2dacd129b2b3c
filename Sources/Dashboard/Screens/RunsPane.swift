import RunLog

/// The runs list: one row per run that passes the filter, scrolled to keep
/// the cursor in view.
struct RunsPane {
  let state: DashboardState

  /// A table column: header, width and how a run fills it.
  private struct Column {
    var header: String
    var width: Int
    /// Lower is dropped first when the pane is narrow.
    var priority: Int
    var rightAligned = false
    var text: (RunEntry) -> String
  }

  private var columns: [Column] {
    state.compareStyle ? compareColumns : statusColumns
  }

  /// The final-values table of a sweep's compare view: what answers "did
  /// the chosen log-prob fall?" per run, at the replay step in replay.
  private var compareColumns: [Column] {
    let ascii = state.config.glyphs == .ascii
    let asOf = state.replayStep
    func value(_ v: Double?) -> String { v.map(NumberFormat.compact) ?? "-" }
    return [
      Column(header: "obj", width: 4, priority: 3) { $0.manifest.objective ?? "-" },
      Column(header: ascii ? "beta" : "β", width: 4, priority: 4, rightAligned: true) {
        value($0.manifest.beta)
      },
      Column(header: "logratio", width: 8, priority: 9, rightAligned: true) { run in
        // Held-out when evaluated, else the training batches'.
        let eval = run.data.logRatio(.eval)?.lastFinite(atOrBefore: asOf ?? Int.max)
        return value(eval ?? run.data.logRatio(.train)?.lastFinite(atOrBefore: asOf ?? Int.max))
      },
      Column(header: "acc", width: 6, priority: 8, rightAligned: true) { run in
        value(
          run.latest(MetricKey.taskAccuracy, .eval, asOf: asOf)
            ?? run.latest(MetricKey.rewardsAccuracies, .eval, asOf: asOf)
            ?? run.latest(MetricKey.rewardsAccuracies, asOf: asOf))
      },
      Column(header: "margin", width: 6, priority: 7, rightAligned: true) {
        value($0.latest(MetricKey.rewardsMargins, asOf: asOf))
      },
    ]
  }

  private var statusColumns: [Column] {
    let ascii = state.config.glyphs == .ascii
    let asOf = state.replayStep
    var columns = [
      Column(header: "obj", width: 4, priority: 3) { $0.manifest.objective ?? "-" },
      Column(header: ascii ? "beta" : "β", width: 4, priority: 2, rightAligned: true) {
        $0.manifest.beta.map(NumberFormat.compact) ?? "-"
      },
      Column(header: ascii ? "lam" : "λ", width: 3, priority: 1, rightAligned: true) {
        $0.manifest.lambda.map(NumberFormat.compact) ?? "-"
      },
      Column(header: "status", width: 9, priority: 9) {
        $0.error != nil ? "error" : $0.status.rawValue
      },
      Column(header: "step", width: 9, priority: 6, rightAligned: true) { run in
        let step = run.step.map { s in asOf.map { min(s, $0) } ?? s }.map(NumberFormat.step) ?? "-"
        return run.manifest.plannedSteps.map { step + "/" + NumberFormat.step($0) } ?? step
      },
      Column(header: "loss", width: 6, priority: 4, rightAligned: true) {
        $0.latest(MetricKey.loss, asOf: asOf).map(NumberFormat.compact) ?? "-"
      },
      Column(header: "bad", width: 3, priority: 0, rightAligned: true) {
        $0.badCount > 0 ? NumberFormat.step($0.badCount) : ""
      },
    ]
    if let job = jobColumn { columns.insert(job, at: 4) }
    return columns
  }

  /// The Slurm job id and queue state (`1234 PD`), only when some run has a
  /// job: local runs never get an empty column. When the pane is narrow it
  /// outlives the loss (which the charts show) but not the step or status.
  private var jobColumn: Column? {
    let widest = state.runs.reduce(0) { max($0, $1.slurmJob?.compact.count ?? 0) }
    guard widest > 0 else { return nil }
    return Column(header: "job", width: min(12, max(3, widest)), priority: 5) {
      $0.slurmJob?.compact ?? ""
    }
  }

  /// Minimum width left for the name column before others are dropped.
  static let minNameWidth = 10

  func render(in rect: Rect, into grid: inout CellGrid) {
    let ascii = state.config.glyphs == .ascii
    let focused = state.focus == .runs && state.screen == .main
    var title = (state.compareStyle ? "compare " : "runs ") + "\(state.visible.count)"
    if state.visible.count != state.runs.count { title += "/\(state.runs.count)" }
    if state.editingFilter || !state.filter.isEmpty {
      title += "  /" + state.filter + (state.editingFilter ? "_" : "")
    }
    grid.box(rect, style: Style(focused ? .borderFocused : .border), ascii: ascii)
    grid.put(
      title, x: rect.x + 1, y: rect.y, maxWidth: rect.width - 2, style: Style(.title, bold: focused)
    )
    let inner = rect.inset(by: 1)
    guard inner.width >= 4, inner.height >= 1 else { return }
    var cols = columns
    // Two cells of marks (selection, warning) plus one gap per column.
    while !cols.isEmpty
      && inner.width - 3 - cols.reduce(0, { $0 + $1.width + 1 }) < Self.minNameWidth
    {
      guard let drop = cols.indices.min(by: { cols[$0].priority < cols[$1].priority }) else {
        break
      }
      cols.remove(at: drop)
    }
    let nameW = max(1, inner.width - 3 - cols.reduce(0, { $0 + $1.width + 1 }))
    var x = inner.x + 2
    let header = Style(.title, underline: true)
    grid.put("name", x: x, y: inner.y, maxWidth: nameW, style: header)
    x += nameW + 1
    for c in cols {
      let t = SafeText(c.header)
      grid.put(
        t, x: c.rightAligned ? x + c.width - t.width : x, y: inner.y, maxWidth: c.width,
        style: header)
      x += c.width + 1
    }
    if state.runs.isEmpty {
      let roots = state.config.roots.isEmpty ? "" : " under " + state.config.roots
      grid.put(
        "no runs found" + roots, x: inner.x, y: inner.y + 1, maxWidth: inner.width,
        style: Style(.dim))
      return
    }
    let rows = inner.height - 1
    for r in 0..<rows {
      let pos = state.scroll + r
      guard pos < state.visible.count else { break }
      let run = state.runs[state.visible[pos]]
      let isCursor = pos == state.cursor
      let y = inner.y + 1 + r
      let base = isCursor ? Style(.selection, reverse: focused, underline: !focused) : Style.plain
      if isCursor {
        grid.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), with: Cell(" ", base))
      }
      if state.selected.contains(run.id) {
        var s = base
        s.bold = true
        grid[inner.x, y] = Cell(ascii ? "*" : "●", s)
      }
      if run.chosenBelowReference(asOf: state.replayStep) {
        grid[inner.x + 1, y] = Cell("!", Style(.warning, bold: true, reverse: isCursor && focused))
      }
      var cx = inner.x + 2
      grid.put(run.manifest.name, x: cx, y: y, maxWidth: nameW, style: base)
      cx += nameW + 1
      for c in cols {
        let t = SafeText(c.text(run), limit: c.width).truncated(to: c.width)
        var style = base
        if c.header == "status" && !isCursor { style = Style(statusRole(run)) }
        if c.header == "bad" && !isCursor { style = Style(.warning) }
        if c.header == "job" && !isCursor && run.slurmJob?.state == nil { style = Style(.dim) }
        grid.put(
          t, x: c.rightAligned ? cx + c.width - t.width : cx, y: y, maxWidth: c.width, style: style)
        cx += c.width + 1
      }
    }
  }

  private func statusRole(_ run: RunEntry) -> ColorRole {
    if run.error != nil { return .bad }
    switch run.status {
    case .running: return .good
    case .finished: return .normal
    case .failed: return .bad
    case .stopped: return .warning
    case .cancelled, .queued: return .dim
    }
  }
}

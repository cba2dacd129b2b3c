import RunLog

/// The runs list: a header row per sweep (or directory), its runs under it,
/// scrolled to keep the cursor in view.
///
/// β (and λ when a run has one) are columns at every width, read from the
/// manifest, never from the name. A sweep's axes are columns too, so a name
/// shows only what they do not say (`dpo-b0.1-s1` under obj, β and seed
/// columns says nothing more); a name that must be cut loses its middle,
/// never the end where runs of a sweep differ. Wider panes give the names
/// room before adding the loss and bad-line columns.
struct RunsPane {
  let state: DashboardState
  /// The chart runs' colours, for the swatches.
  let looks: RunLooks

  init(state: DashboardState) {
    self.state = state
    looks = RunLooks(state)
  }

  /// A table column: header, width and how a row's runs fill it.
  private struct Column {
    var header: String
    var width: Int
    /// Lower is dropped first when the pane is narrow.
    var priority: Int
    var rightAligned = false
    var role: Role = .plain
    /// The runs of the row (one, or a seed line's) → the cell's text.
    var text: ([RunEntry]) -> String
  }

  private enum Role {
    case plain, status, bad, job
  }

  /// Columns at or above this priority are kept before names get more room
  /// than `minNameWidth`; the rest only once names have what they need.
  private static let identityPriority = 50
  /// Names get at least this much (or what they need, if less).
  static let minNameWidth = 8
  /// ... and at most this much before the optional columns come back.
  static let maxWantedName = 30

  /// The runs of the rows on screen.
  private func shownRuns(rows count: Int) -> [[RunEntry]] {
    var out: [[RunEntry]] = []
    var pos = state.scroll
    while out.count < count, pos < state.rows.count {
      let list = state.rows[pos].runIndices
      if !list.isEmpty { out.append(list.map { state.runs[$0] }) }
      pos += 1
    }
    return out
  }

  private func value(_ v: Double?) -> String { v.map(NumberFormat.compact) ?? "-" }

  /// The identity columns both views share: objective, β, λ, seed.
  private func settingColumns(_ shown: [[RunEntry]]) -> [Column] {
    let ascii = state.config.glyphs == .ascii
    let all = shown.joined()
    func width(_ header: Int, _ texts: [String]) -> Int {
      min(8, max(header, texts.map(\.count).max() ?? 0))
    }
    var cols: [Column] = []
    cols.append(
      Column(header: "obj", width: width(3, all.map { $0.manifest.objective ?? "-" }), priority: 55)
      { $0[0].manifest.objective ?? "-" })
    cols.append(
      Column(
        header: ascii ? "beta" : "β",
        width: width(ascii ? 4 : 3, all.map { value($0.manifest.beta) }),
        priority: 100, rightAligned: true
      ) { value($0[0].manifest.beta) })
    // Whether λ and seed are columns follows the whole list, not the rows
    // on screen, so columns do not come and go while scrolling.
    let runs = state.runs
    if state.visible.contains(where: { runs[$0].manifest.lambda != nil }) {
      cols.append(
        Column(
          header: ascii ? "lam" : "λ", width: width(3, all.map { value($0.manifest.lambda) }),
          priority: 99, rightAligned: true
        ) { value($0[0].manifest.lambda) })
    }
    // The seed is a column where a sweep varies it (in the compare view a
    // seed line's runs are counted instead).
    if !state.compareStyle,
      state.visible.contains(where: { runs[$0].manifest.sweepAxes?["seed"] != nil })
    {
      cols.append(
        Column(header: "seed", width: 4, priority: 80, rightAligned: true) {
          $0[0].manifest.seed.map(String.init) ?? "-"
        })
    }
    return cols
  }

  /// The final-values table of a sweep's compare view: what answers "did
  /// the chosen log-prob fall?" per run, at the replay step in replay; a
  /// line of runs that differ only in seed shows mean ± sd and their number.
  private func compareColumns(_ shown: [[RunEntry]]) -> [Column] {
    let ascii = state.config.glyphs == .ascii
    let asOf = state.replayStep ?? Int.max
    func stat(_ runs: [RunEntry], _ pick: (RunEntry) -> Double?) -> String {
      let values = runs.compactMap(pick)
      guard runs.count > 1 else { return value(values.first) }
      guard let s = SeedStats(values) else { return "-" }
      return NumberFormat.meanSD(s.mean, s.sd, ascii: ascii)
    }
    let logRatio: (RunEntry) -> Double? = { run in
      // Held-out when evaluated, else the training batches'.
      run.data.logRatio(.eval)?.lastFinite(atOrBefore: asOf)
        ?? run.data.logRatio(.train)?.lastFinite(atOrBefore: asOf)
    }
    let acc: (RunEntry) -> Double? = { run in
      run.latest(MetricKey.taskAccuracy, .eval, asOf: asOf)
        ?? run.latest(MetricKey.rewardsAccuracies, .eval, asOf: asOf)
        ?? run.latest(MetricKey.rewardsAccuracies, asOf: asOf)
    }
    let margin: (RunEntry) -> Double? = { $0.latest(MetricKey.rewardsMargins, asOf: asOf) }
    func width(_ header: Int, _ pick: @escaping (RunEntry) -> Double?) -> Int {
      min(14, max(header, shown.map { stat($0, pick).count }.max() ?? 0))
    }
    var cols = settingColumns(shown)
    if shown.contains(where: { $0.count > 1 }) {
      cols.append(
        Column(header: "n", width: 2, priority: 85, rightAligned: true) { String($0.count) })
    }
    cols += [
      Column(header: "logratio", width: width(8, logRatio), priority: 95, rightAligned: true) {
        stat($0, logRatio)
      },
      Column(header: "acc", width: width(4, acc), priority: 88, rightAligned: true) {
        stat($0, acc)
      },
      Column(header: "margin", width: width(6, margin), priority: 75, rightAligned: true) {
        stat($0, margin)
      },
    ]
    return cols
  }

  private func statusColumns(_ shown: [[RunEntry]]) -> [Column] {
    let asOf = state.replayStep
    var columns = settingColumns(shown)
    let status: ([RunEntry]) -> String = { $0[0].error != nil ? "error" : $0[0].status.rawValue }
    let step: ([RunEntry]) -> String = {
      let run = $0[0]
      let step = run.step.map { s in asOf.map { min(s, $0) } ?? s }.map(NumberFormat.step) ?? "-"
      return run.manifest.plannedSteps.map { step + "/" + NumberFormat.step($0) } ?? step
    }
    // As wide as the rows on screen need (`finished`, `99/100`), at most the widest.
    func width(_ header: Int, _ most: Int, _ text: ([RunEntry]) -> String) -> Int {
      min(most, max(header, shown.map { text($0).count }.max() ?? 0))
    }
    columns += [
      Column(
        header: "status", width: width(6, 9, status), priority: 90, role: .status, text: status),
      Column(
        header: "step", width: width(4, 13, step), priority: 60, rightAligned: true, text: step),
    ]
    if let job = jobColumn { columns.append(job) }
    columns += [
      Column(header: "loss", width: 6, priority: 40, rightAligned: true) {
        $0[0].latest(MetricKey.loss, asOf: asOf).map(NumberFormat.compact) ?? "-"
      },
      Column(header: "bad", width: 3, priority: 10, rightAligned: true, role: .bad) {
        $0[0].badCount > 0 ? NumberFormat.step($0[0].badCount) : ""
      },
    ]
    return columns
  }

  /// The Slurm job id and queue state (`1234 PD`), only when some run has a
  /// job: local runs never get an empty column. When the pane is narrow it
  /// outlives the loss (which the charts show) but not the step or status.
  private var jobColumn: Column? {
    let widest = state.runs.reduce(0) { max($0, $1.slurmJob?.compact.count ?? 0) }
    guard widest > 0 else { return nil }
    return Column(header: "job", width: min(12, max(3, widest)), priority: 45, role: .job) {
      $0[0].slurmJob?.compact ?? ""
    }
  }

  /// The name a row shows. A sweep's run (or a seed line) leaves out the
  /// words its columns already show (empty when they say it all); any other
  /// run keeps its whole name while it fits in `width`, and loses those
  /// words first when it does not.
  private func displayName(_ runs: [RunEntry], _ cols: [Column], width: Int = Int.max) -> String {
    let m = runs[0].manifest
    let seeds = runs.count > 1
    // A huge name (hostile, or a path) is only ever cut, never parsed per frame.
    guard m.name.utf8.count <= 1024 else { return m.name }
    if m.sweepAxes == nil && !seeds
      && SafeText(m.name, limit: width == Int.max ? width : width + 1).width <= width
    {
      return m.name
    }
    let has = Set(cols.map(\.header))
    return RunNameParts(m.name).dropping(
      objective: has.contains("obj") ? m.objective : nil,
      beta: has.contains("β") || has.contains("beta") ? m.beta : nil,
      lambda: has.contains("λ") || has.contains("lam") ? m.lambda : nil,
      seed: has.contains("seed") || seeds ? m.seed : nil
    ).text
  }

  /// Chooses the columns for a pane `avail` cells wide (after the marks):
  /// the narrowest drop first, names keep `minNameWidth` (or what they
  /// need) and get up to what they need before low-priority columns stay.
  private func fit(_ all: [Column], avail: Int, shown: [[RunEntry]]) -> ([Column], Int) {
    var cols = all
    func used() -> Int { cols.reduce(0) { $0 + $1.width + 1 } }
    let want = min(
      Self.maxWantedName, shown.map { SafeText(displayName($0, all), limit: 64).width }.max() ?? 0)
    let minName = max(4, min(want, Self.minNameWidth))
    func dropLowest(below limit: Int) -> Bool {
      guard
        let drop = cols.indices.filter({ cols[$0].priority < limit }).min(by: {
          cols[$0].priority < cols[$1].priority
        })
      else { return false }
      cols.remove(at: drop)
      return true
    }
    while avail - used() < minName, dropLowest(below: Int.max) {}
    while avail - used() < want, dropLowest(below: Self.identityPriority) {}
    return (cols, max(1, avail - used()))
  }

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
    let rowCount = inner.height - 1
    let shown = shownRuns(rows: rowCount)
    let candidates = state.compareStyle ? compareColumns(shown) : statusColumns(shown)
    // Two cells of marks (selection, warning) plus one gap per column.
    let (cols, nameW) = fit(candidates, avail: inner.width - 2, shown: shown)
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
    for r in 0..<rowCount {
      let pos = state.scroll + r
      guard pos < state.rows.count else { break }
      let isCursor = pos == state.cursor
      let y = inner.y + 1 + r
      // The selection role is the highlight on its own: the theme's selection
      // colours, reverse video without colour. Adding `reverse` on top undid
      // it without colour (reverse twice is none) and turned it into a pale
      // bar in colour; the unfocused pane's cursor is underlined as well.
      let base = isCursor ? Style(.selection, underline: !focused) : Style.plain
      if isCursor {
        grid.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), with: Cell(" ", base))
      }
      switch state.rows[pos] {
      case .header(let g):
        drawHeader(g, y: y, inner: inner, base: base, isCursor: isCursor, &grid)
      case .run(let i):
        drawRun(
          [state.runs[i]], y: y, inner: inner, cols: cols, nameW: nameW, base: base,
          isCursor: isCursor, focused: focused, &grid)
      case .seeds(let list):
        drawRun(
          list.map { state.runs[$0] }, y: y, inner: inner, cols: cols, nameW: nameW,
          base: base, isCursor: isCursor, focused: focused, &grid)
      }
    }
  }

  /// `▾ runs/beta-sweep  6 runs: 4 finished, 2 running` (`▸` when collapsed).
  private func drawHeader(
    _ g: Int, y: Int, inner: Rect, base: Style, isCursor: Bool, _ grid: inout CellGrid
  ) {
    let ascii = state.config.glyphs == .ascii
    let group = state.groups[g]
    let collapsed = state.collapsed.contains(group.key)
    let glyph = collapsed ? (ascii ? ">" : "▸") : (ascii ? "v" : "▾")
    var titleStyle = isCursor ? base : Style(.accent)
    titleStyle.bold = true
    grid.put(glyph, x: inner.x, y: y, style: titleStyle)
    let progress = "  " + state.runList.progress(of: g)
    let room = inner.width - 2
    // The directory gives way (in its middle) before the progress does.
    let titleW = max(min(SafeText(group.title).width + 1, room / 2), room - progress.count)
    let name = SafeText.middleCut(
      group.title + (group.isSweep ? "" : "/"), to: titleW,
      ellipsis: ascii ? "~" : "…")
    let used = grid.put(name, x: inner.x + 2, y: y, maxWidth: titleW, style: titleStyle)
    grid.put(
      progress, x: inner.x + 2 + used, y: y, maxWidth: room - used,
      style: isCursor ? base : Style(.dim))
  }

  private func drawRun(
    _ runs: [RunEntry], y: Int, inner: Rect, cols: [Column], nameW: Int, base: Style,
    isCursor: Bool, focused: Bool, _ grid: inout CellGrid
  ) {
    let ascii = state.config.glyphs == .ascii
    let run = runs[0]
    if let swatch = looks.swatch(run, ascii: ascii) {
      // Several runs charted: the mark is the run's swatch, the key to its lines.
      grid[inner.x, y] = swatch
    } else if runs.allSatisfy({ state.selected.contains($0.id) }) {
      var s = base
      s.bold = true
      grid[inner.x, y] = Cell(ascii ? "*" : "●", s)
    }
    if runs.contains(where: { $0.diverged(asOf: state.replayStep) }) {
      // A loss gone NaN/Inf outranks the log-prob warning: nothing after it means much.
      grid[inner.x + 1, y] = Cell(
        ascii ? "X" : "✗", Style(.bad, bold: true, reverse: isCursor && focused))
    } else if runs.contains(where: { $0.chosenBelowReference(asOf: state.replayStep) }) {
      grid[inner.x + 1, y] = Cell("!", Style(.warning, bold: true, reverse: isCursor && focused))
    }
    var cx = inner.x + 2
    let name = SafeText.middleCut(
      displayName(runs, cols, width: nameW), to: nameW, ellipsis: ascii ? "~" : "…")
    grid.put(name, x: cx, y: y, maxWidth: nameW, style: base)
    cx += nameW + 1
    for c in cols {
      let t = SafeText(c.text(runs), limit: c.width).truncated(to: c.width)
      var style = base
      if !isCursor {
        switch c.role {
        case .status: style = Style(statusRole(run))
        case .bad: style = Style(.warning)
        case .job where run.slurmJob?.state == nil: style = Style(.dim)
        default: break
        }
      }
      grid.put(
        t, x: c.rightAligned ? cx + c.width - t.width : cx, y: y, maxWidth: c.width, style: style)
      cx += c.width + 1
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

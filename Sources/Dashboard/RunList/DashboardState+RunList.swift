import RunLog

/// The dashboard's side of its runs list: read access for the screens, and
/// the list operations with what only the dashboard knows added (the rows
/// the pane shows, marks waiting for their run, screens showing a run).
extension DashboardState {
  /// Every run, in the order first seen.
  public var runs: [RunEntry] { runList.runs }
  /// Indices into `runs` that pass the filter, in display order.
  public var visible: [Int] { runList.visible }
  /// The runs' groups (sweeps, directories), in the order first seen.
  public var groups: [RunGroup] { runList.groups }
  /// The list as drawn (see `RunList.rows`).
  public var rows: [ListRow] { runList.rows }
  /// Keys of the collapsed groups.
  public var collapsed: Set<String> { runList.collapsed }
  /// Cursor position in `rows`, and the first row of the list shown.
  public var cursor: Int { runList.cursor }
  var scroll: Int { runList.scroll }
  /// The filter text, and whether it is being typed.
  public var filter: String { runList.filter }
  public var editingFilter: Bool { runList.editingFilter }
  /// Colour lines by β and dash them by objective (a sweep's compare view)
  /// instead of one colour per run; the list shows a line per seed set.
  public var compareStyle: Bool { runList.seedLines }

  /// The run under the cursor, if any (a seed line: its first run; a
  /// group header: none).
  public var cursorRun: RunEntry? { runList.cursorRun }

  /// The run with `id`.
  public func run(_ id: String) -> RunEntry? { runList.run(id) }

  /// How many list rows the runs pane shows at this terminal size.
  var listRowsShown: Int { max(1, Layout(self).listRows) }

  /// Adds a run or refreshes its manifest; a new run marked in a restored
  /// view gets its mark.
  mutating func upsert(id: String, kind: String, manifest: RunManifest) {
    let added = runList.upsert(id: id, kind: kind, manifest: manifest, rowsShown: listRowsShown)
    if added, !pendingMarks.isEmpty, pendingMarks.remove(id) != nil { selected.insert(id) }
  }

  /// The index of run `id`, adding a placeholder (named after the last
  /// path component) when the watcher reports on a run whose manifest it
  /// could not read.
  mutating func indexCreatingPlaceholder(_ id: String) -> Int {
    if let i = runList.runIndex[id] { return i }
    let name = id.split(separator: "/").last.map(String.init) ?? id
    upsert(
      id: id, kind: "?",
      manifest: RunManifest(id: id, name: name, createdAt: 0, trainer: "?", status: .failed))
    return runs.count - 1
  }

  /// Forgets a run, and the marks and screens that were about it.
  mutating func remove(id: String) {
    guard runList.remove(id: id, rowsShown: listRowsShown) else { return }
    selected.remove(id)
    if screen == .detail(id) || screen == .tokens(id) { screen = .main }
    if replayRun == id { replayRun = nil }
  }

  /// Recomputes the list, keeping the cursor on the same run (`id`, else
  /// the cursor's) where it can.
  mutating func refilter(keeping id: String? = nil) {
    runList.refilter(keeping: id, rowsShown: listRowsShown)
  }

  /// Keeps cursor and scroll inside the list.
  mutating func clampScroll() {
    runList.clampScroll(rowsShown: listRowsShown)
  }

  /// Moves the list's cursor `delta` rows.
  mutating func moveCursor(_ delta: Int) {
    runList.moveCursor(by: delta, rowsShown: listRowsShown)
  }

  /// Collapses or expands the cursor's group.
  mutating func toggleCollapsed() {
    runList.toggleCollapsed(rowsShown: listRowsShown)
  }

  /// Collapses every group, or expands them all.
  mutating func toggleAllCollapsed() {
    runList.toggleAllCollapsed(rowsShown: listRowsShown)
  }
}

import RunLog

/// The runs pane's model: every run, their groups, the filter, the rows as
/// drawn, the cursor and the scroll offset.
///
/// Its own value so the list's rules (grouping, filtering, collapsing, the
/// cursor staying on its run) are tested without a whole dashboard. It
/// knows nothing of the screen: operations that move the cursor take the
/// number of rows the pane shows.
public struct RunList: Sendable {
  /// Every run, in the order first seen.
  public internal(set) var runs: [RunEntry] = []
  /// Position of each run in `runs`, by id.
  var runIndex: [String: Int] = [:]
  /// Indices into `runs` that pass the filter, in display order (by group).
  public internal(set) var visible: [Int] = []
  /// The runs' groups (sweeps, directories), in the order first seen.
  public internal(set) var groups: [RunGroup] = []
  var groupIndex: [String: Int] = [:]
  /// The group of each run (parallel to `runs`).
  var groupOfRun: [Int] = []
  /// The list as drawn: group headers and runs that pass the filter, less
  /// the runs of collapsed groups.
  public internal(set) var rows: [ListRow] = []
  /// Keys of the collapsed groups.
  public internal(set) var collapsed: Set<String> = []
  /// Cursor position in `rows`, and the first row of the list shown.
  public internal(set) var cursor = 0
  var scroll = 0
  /// The filter text, and whether it is being typed.
  public internal(set) var filter = ""
  public internal(set) var editingFilter = false
  /// The compare view: runs that differ only in seed share one row.
  public internal(set) var seedLines = false

  /// An empty list.
  public init() {}

  /// The run with `id`.
  public func run(_ id: String) -> RunEntry? {
    runIndex[id].map { runs[$0] }
  }

  /// The run under the cursor, if any (a seed line: its first run; a
  /// group header: none).
  public var cursorRun: RunEntry? {
    guard cursor >= 0, cursor < rows.count, let i = rows[cursor].runIndices.first else {
      return nil
    }
    return runs[i]
  }

  /// The runs the cursor's row stands for: a run, a seed line's runs, or
  /// the listed runs of a group under its header (the first 64: a chart of
  /// more lines says nothing).
  var cursorRuns: [RunEntry] {
    guard cursor >= 0, cursor < rows.count else { return [] }
    if case .header(let g) = rows[cursor] {
      return Array(groupRuns(g).prefix(64))
    }
    return rows[cursor].runIndices.map { runs[$0] }
  }

  /// The listed (filtered) runs of group `g`.
  func groupRuns(_ g: Int) -> [RunEntry] {
    let filter = RunFilter(self.filter)
    return groups[g].members.lazy.map { self.runs[$0] }.filter {
      filter.isEmpty || filter.matches($0)
    }
  }

  /// True when `run` passes the filter (see `RunFilter`).
  func matchesFilter(_ run: RunEntry) -> Bool {
    RunFilter(filter).matches(run)
  }

  /// Adds a run or refreshes its manifest; true when the run is new.
  @discardableResult
  mutating func upsert(id: String, kind: String, manifest: RunManifest, rowsShown: Int) -> Bool {
    if let i = runIndex[id] {
      let matched = matchesFilter(runs[i])
      let group = RunGroup.key(id: id, manifest: runs[i].manifest).key
      let cell = seedLines ? SeedCell.key(runs[i].manifest, group: group) : nil
      runs[i].manifest = manifest
      runs[i].kind = kind
      if RunGroup.key(id: id, manifest: manifest).key != group {
        regroup()
        refilter(rowsShown: rowsShown)
        return false
      }
      // Refiltering is O(runs): only when this run enters or leaves the list
      // (10 000 runs changing status at once must stay cheap).
      if matchesFilter(runs[i]) != matched
        || (seedLines && SeedCell.key(manifest, group: group) != cell)
      {
        refilter(rowsShown: rowsShown)
      }
      return false
    }
    let headersBefore = showsHeaders
    let i = runs.count
    runIndex[id] = i
    runs.append(RunEntry(id: id, kind: kind, manifest: manifest))
    let g = fileIntoGroup(i)
    guard matchesFilter(runs[i]) else {
      if showsHeaders != headersBefore { refilter(rowsShown: rowsShown) }
      return true
    }
    // Runs arrive sweep by sweep: appending keeps adding 10 000 runs O(n).
    if appendsAtEnd(i, headersBefore: headersBefore) {
      let newGroup =
        rows.last.map { row in
          if case .header(let h) = row { return h != g }
          return row.runIndices.first.map { groupOfRun[$0] != g } ?? true
        } ?? true
      if showsHeaders && newGroup { rows.append(.header(g)) }
      rows.append(.run(i))
      visible.append(i)
    } else {
      refilter(rowsShown: rowsShown)
    }
    return true
  }

  /// Forgets run `id`, keeping the cursor on its run; false when unknown.
  @discardableResult
  mutating func remove(id: String, rowsShown: Int) -> Bool {
    guard let i = runIndex[id] else { return false }
    let keep = cursorRun?.id
    runs.remove(at: i)
    runIndex = [:]
    for (j, r) in runs.enumerated() { runIndex[r.id] = j }
    regroup()
    refilter(keeping: keep, rowsShown: rowsShown)
    return true
  }

  /// Recomputes `visible` and `rows`, keeping the cursor on the same run
  /// (`id`, else the cursor's) where it can.
  mutating func refilter(keeping id: String? = nil, rowsShown: Int) {
    if let id, let i = runIndex[id] {
      refilter(keepingRow: .run(i), rowsShown: rowsShown)
    } else {
      refilter(keepingRow: nil, rowsShown: rowsShown)
    }
  }

  /// `refilter` keeping the cursor on `row` (a header: that group's).
  mutating func refilter(keepingRow row: ListRow?, rowsShown: Int) {
    let keep = row ?? (cursor >= 0 && cursor < rows.count ? rows[cursor] : nil)
    let f = RunFilter(filter)
    var list: [Int] = []
    var shown: [Int] = []
    list.reserveCapacity(runs.count)
    for g in groups.indices {
      let before = list.count
      for i in groups[g].members where f.isEmpty || f.matches(runs[i]) { list.append(i) }
      if list.count > before { shown.append(g) }
    }
    visible = list
    rows = buildRows(visible: list, groupsShown: shown)
    if let keep, let pos = position(of: keep) { cursor = pos }
    clampScroll(rowsShown: rowsShown)
  }

  /// Where `row`'s run or group now is in `rows`: the row holding the run,
  /// else its group's header (collapsed); a header's own row.
  private func position(of row: ListRow) -> Int? {
    if case .header(let g) = row {
      return rows.firstIndex {
        if case .header(let h) = $0 { return h == g }
        return $0.runIndices.first.map { groupOfRun[$0] == g } ?? false
      }
    }
    guard let i = row.runIndices.first, i < runs.count else { return nil }
    if let pos = rows.firstIndex(where: { $0.runIndices.contains(i) }) { return pos }
    return rows.firstIndex(of: .header(groupOfRun[i]))
  }

  /// Moves the cursor `delta` rows (clamped to the list).
  mutating func moveCursor(by delta: Int, rowsShown: Int) {
    cursor += delta
    clampScroll(rowsShown: rowsShown)
  }

  /// Puts the cursor on row `pos`.
  mutating func moveCursor(to pos: Int, rowsShown: Int) {
    cursor = pos
    clampScroll(rowsShown: rowsShown)
  }

  /// Keeps cursor and scroll inside the list, `rowsShown` rows of it on screen.
  mutating func clampScroll(rowsShown: Int) {
    let rowsShown = max(1, rowsShown)
    cursor = min(max(0, cursor), max(0, rows.count - 1))
    if cursor < scroll { scroll = cursor }
    if cursor >= scroll + rowsShown { scroll = cursor - rowsShown + 1 }
    scroll = min(max(0, scroll), max(0, rows.count - rowsShown))
  }

  /// Replaces the filter text and refilters.
  mutating func setFilter(_ text: String, rowsShown: Int) {
    filter = text
    refilter(rowsShown: rowsShown)
  }
}

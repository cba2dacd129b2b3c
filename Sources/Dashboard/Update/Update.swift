import RunLog

/// Applies one message to the state and returns what the outside world must do.
///
/// Pure: no I/O, no clocks (time arrives in `.tick`), so every behaviour of
/// the dashboard is testable by feeding messages and reading the screen.
public func update(_ state: inout DashboardState, _ msg: Msg) -> [Effect] {
  let effects = apply(&state, msg)
  state.syncSmoothing()
  state.syncRunSlots()
  state.syncXAxisMaps()
  return effects
}

/// `update` without the smoothing bookkeeping that follows every message.
private func apply(_ state: inout DashboardState, _ msg: Msg) -> [Effect] {
  switch msg {
  case .key(let key):
    return state.handle(key)
  case .mouse(let event):
    return state.handle(event)
  case .tick(let now):
    state.now = now
    if state.mode == .replay { state.replay.tick(now: now, state.replayTimeline) }
    // A live run's probes grow with each evaluation.
    if case .tokens(let id) = state.screen { return [.requestProbes(id: id)] }
  case .resized(let width, let height):
    state.width = max(0, width)
    state.height = max(0, height)
    state.clampScroll()
  case .runUpdated(let id, let kind, let manifest):
    state.upsert(id: id, kind: kind, manifest: manifest)
  case .metrics(let id, let delta, let reset, let badCount, let recentBad):
    let i = state.indexCreatingPlaceholder(id)
    let diverged = state.runs[i].diverged()
    if reset {
      state.runs[i].data = RunData()
      state.smoothed.remove(id)
    }
    state.runs[i].data.merge(delta, beta: state.runs[i].manifest.beta)
    state.runs[i].badCount = badCount
    state.runs[i].recentBad = recentBad
    state.runs[i].error = nil
    // A filter on "diverged" must pick up a run whose loss just went NaN.
    if !state.filter.isEmpty, state.runs[i].diverged() != diverged { state.refilter() }
  case .liveness(let id, let alive):
    guard let i = state.runIndex[id] else { break }
    let matched = state.matchesFilter(state.runs[i])
    state.runs[i].alive = alive
    // A filter on "stopped" must pick up a run whose trainer just died.
    if state.matchesFilter(state.runs[i]) != matched { state.refilter() }
  case .logTail(let id, let lines):
    if let i = state.runIndex[id] { state.runs[i].logTail = lines }
  case .probes(let id, let log):
    if let i = state.runIndex[id] { state.runs[i].probes = log }
  case .runError(let id, let message):
    // A run whose manifest cannot be read still shows, with its error.
    state.runs[state.indexCreatingPlaceholder(id)].error = message
  case .runRemoved(let id):
    state.remove(id: id)
  case .runNotes(let id, let notes):
    if let i = state.runIndex[id] { state.runs[i].notes = notes }
  case .slurmJobs(let jobs):
    // Runs not seen yet get theirs with the next report (every few seconds).
    for (id, job) in jobs {
      if let i = state.runIndex[id] { state.runs[i].slurmJob = job }
    }
  case .sweepLaunched(let path):
    state.sweepForm = nil
    state.sweepLaunching = false
    state.notice = "sweep started: " + path
  case .sweepLaunchFailed(let message):
    state.sweepLaunching = false
    state.sweepForm?.launchFailed(message)
    if state.sweepForm == nil { state.notice = message }
  case .notice(let text):
    state.notice = text
  case .connection(let host, let problem):
    state.connections[host] = problem
  case .seek(let step):
    state.enterReplay()
    state.replay.seek(to: step, state.replayTimeline)
    state.replay.pause()
  }
  return []
}

extension DashboardState {
  /// The timeline replay moves along: the paced run's, else the first chart run's.
  var replayTimeline: ReplayTimeline {
    let paced = replayRun.flatMap { self.run($0) } ?? chartRuns.first
    return paced.map { ReplayTimeline($0.data) } ?? ReplayTimeline(steps: [])
  }

  /// Keeps smoothed series for exactly the runs the charts show: turning
  /// smoothing on with 10 000 runs listed smooths the few on screen, and a
  /// run leaving the charts gives its smoothed copy's memory back.
  mutating func syncSmoothing() {
    let want = smoothing ? smoothingWeight : nil
    let shown = want == nil ? [] : Set(chartRuns.map(\.id))
    for id in smoothed.union(shown) {
      guard let i = runIndex[id] else {
        smoothed.remove(id)
        continue
      }
      let weight = shown.contains(id) ? want : nil
      if runs[i].data.smoothingWeight != weight { runs[i].data.setSmoothing(weight) }
      if weight == nil { smoothed.remove(id) } else { smoothed.insert(id) }
    }
  }

  /// Adds a run or refreshes its manifest.
  mutating func upsert(id: String, kind: String, manifest: RunManifest) {
    if let i = runIndex[id] {
      let matched = matchesFilter(runs[i])
      let group = RunGroup.key(id: id, manifest: runs[i].manifest).key
      let cell = compareStyle ? SeedCell.key(runs[i].manifest, group: group) : nil
      runs[i].manifest = manifest
      runs[i].kind = kind
      if RunGroup.key(id: id, manifest: manifest).key != group {
        regroup()
        refilter()
        return
      }
      // Refiltering is O(runs): only when this run enters or leaves the list
      // (10 000 runs changing status at once must stay cheap).
      if matchesFilter(runs[i]) != matched
        || (compareStyle && SeedCell.key(manifest, group: group) != cell)
      {
        refilter()
      }
      return
    }
    let headersBefore = showsHeaders
    let i = runs.count
    runIndex[id] = i
    runs.append(RunEntry(id: id, kind: kind, manifest: manifest))
    if !pendingMarks.isEmpty, pendingMarks.remove(id) != nil { selected.insert(id) }
    let g = fileIntoGroup(i)
    guard matchesFilter(runs[i]) else {
      if showsHeaders != headersBefore { refilter() }
      return
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
      refilter()
    }
  }

  /// The index of run `id`, adding a placeholder (named after the last
  /// path component) when the watcher reports on a run whose manifest it
  /// could not read.
  mutating func indexCreatingPlaceholder(_ id: String) -> Int {
    if let i = runIndex[id] { return i }
    let name = id.split(separator: "/").last.map(String.init) ?? id
    upsert(
      id: id, kind: "?",
      manifest: RunManifest(id: id, name: name, createdAt: 0, trainer: "?", status: .failed))
    return runs.count - 1
  }

  /// Forgets a run.
  mutating func remove(id: String) {
    guard let i = runIndex[id] else { return }
    let keep = cursorRun?.id
    runs.remove(at: i)
    runIndex = [:]
    for (j, r) in runs.enumerated() { runIndex[r.id] = j }
    regroup()
    selected.remove(id)
    if screen == .detail(id) || screen == .tokens(id) { screen = .main }
    if replayRun == id { replayRun = nil }
    refilter(keeping: keep)
  }

  /// True when `run` passes the filter (see `RunFilter`).
  func matchesFilter(_ run: RunEntry) -> Bool {
    RunFilter(filter).matches(run)
  }

  /// Recomputes `visible` and `rows`, keeping the cursor on the same run
  /// (`id`, else the cursor's) where it can.
  mutating func refilter(keeping id: String? = nil) {
    if let id, let i = runIndex[id] {
      refilter(keepingRow: .run(i))
    } else {
      refilter(keepingRow: nil)
    }
  }

  /// `refilter` keeping the cursor on `row` (a header: that group's).
  mutating func refilter(keepingRow row: ListRow?) {
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
    clampScroll()
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

  /// Keeps cursor and scroll inside the list.
  mutating func clampScroll() {
    cursor = min(max(0, cursor), max(0, rows.count - 1))
    let rowsShown = max(1, Layout(self).listRows)
    if cursor < scroll { scroll = cursor }
    if cursor >= scroll + rowsShown { scroll = cursor - rowsShown + 1 }
    scroll = min(max(0, scroll), max(0, rows.count - rowsShown))
  }

  /// Switches to replay of the chart runs, from their first step.
  mutating func enterReplay() {
    guard mode != .replay || replayRun == nil else { return }
    mode = .replay
    replayRun = chartRuns.first?.id
    let timeline = replayTimeline
    replay.seek(to: timeline.firstStep, timeline)
    replay.resetTickReference()
  }
}

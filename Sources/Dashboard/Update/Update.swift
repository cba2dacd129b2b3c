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
    let diverged = state.runList.runs[i].diverged()
    if reset {
      state.runList.runs[i].data = RunData()
      state.smoothed.remove(id)
    }
    state.runList.runs[i].data.merge(delta, beta: state.runList.runs[i].manifest.beta)
    state.runList.runs[i].badCount = badCount
    state.runList.runs[i].recentBad = recentBad
    state.runList.runs[i].error = nil
    // A filter on "diverged" must pick up a run whose loss just went NaN.
    if !state.filter.isEmpty, state.runList.runs[i].diverged() != diverged { state.refilter() }
  case .liveness(let id, let alive):
    guard let i = state.runList.runIndex[id] else { break }
    let matched = state.runList.matchesFilter(state.runList.runs[i])
    state.runList.runs[i].alive = alive
    // A filter on "stopped" must pick up a run whose trainer just died.
    if state.runList.matchesFilter(state.runList.runs[i]) != matched { state.refilter() }
  case .logTail(let id, let lines):
    if let i = state.runList.runIndex[id] { state.runList.runs[i].logTail = lines }
  case .probes(let id, let log):
    if let i = state.runList.runIndex[id] { state.runList.runs[i].probes = log }
  case .runError(let id, let message):
    // A run whose manifest cannot be read still shows, with its error.
    state.runList.runs[state.indexCreatingPlaceholder(id)].error = message
  case .runRemoved(let id):
    state.remove(id: id)
  case .runNotes(let id, let notes):
    if let i = state.runList.runIndex[id] { state.runList.runs[i].notes = notes }
  case .slurmJobs(let jobs):
    // Runs not seen yet get theirs with the next report (every few seconds).
    for (id, job) in jobs {
      if let i = state.runList.runIndex[id] { state.runList.runs[i].slurmJob = job }
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
      guard let i = runList.runIndex[id] else {
        smoothed.remove(id)
        continue
      }
      let weight = shown.contains(id) ? want : nil
      if runList.runs[i].data.smoothingWeight != weight {
        runList.runs[i].data.setSmoothing(weight)
      }
      if weight == nil { smoothed.remove(id) } else { smoothed.insert(id) }
    }
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

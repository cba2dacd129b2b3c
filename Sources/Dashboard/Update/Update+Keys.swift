import RunLog

extension DashboardState {
  /// The number of charts (log-probs, log-ratio, rewards, penalty, loss, accuracy,
  /// likelihood split, squeezing, sharpening).
  static let chartCount = ChartKind.allCases.count

  /// Handles a key press.
  mutating func handle(_ key: Key) -> [Effect] {
    if key == .ctrl("c") { return [.quit] }
    notice = nil
    if sweepForm != nil { return handleForm(key) }
    if let pending = confirmation {
      confirmation = nil
      guard key == .char("y") || key == .char("Y") else {
        notice = "nothing done"
        return []
      }
      switch pending {
      case .cancel(let ids): return [.cancelRuns(ids: ids)]
      case .resume(let ids): return [.resumeRuns(ids: ids)]
      }
    }
    if editingFilter { return handleFilter(key) }
    if showHelp {
      if key == .char("q") { return [.quit] }
      showHelp = false
      return []
    }
    if case .detail(let id) = screen { return handleDetail(key, id) }
    if case .tokens(let id) = screen { return handleTokens(key, id) }
    if screen == .metrics { return handleMetrics(key) }
    return handleMain(key)
  }

  private mutating func handleForm(_ key: Key) -> [Effect] {
    guard var form = sweepForm, !sweepLaunching else {
      if key == .escape { sweepForm = nil }
      return []
    }
    let outcome = form.handle(key)
    sweepForm = form
    switch outcome {
    case .none: return []
    case .close:
      sweepForm = nil
      return []
    case .launch(let launch):
      sweepLaunching = true
      return [.launchSweep(launch)]
    }
  }

  /// Asks for `y` before cancelling or resuming the marked runs (else the cursor's).
  private mutating func confirm(_ make: ([String]) -> Confirmation, _ verb: String) {
    let targets = actionRuns
    guard !targets.isEmpty else { return }
    confirmation = make(targets.map(\.id))
    let what = targets.count == 1 ? targets[0].manifest.name : "\(targets.count) runs"
    notice = "\(verb) \(what)? y/n"
  }

  private mutating func handleFilter(_ key: Key) -> [Effect] {
    switch key {
    case .enter:
      runList.editingFilter = false
    case .escape:
      runList.editingFilter = false
      runList.setFilter("", rowsShown: listRowsShown)
    case .backspace, .delete:
      runList.setFilter(String(filter.dropLast()), rowsShown: listRowsShown)
    case .char(let c) where filter.count < 200:
      runList.setFilter(filter + String(c), rowsShown: listRowsShown)
    default: break
    }
    return []
  }

  private mutating func handleDetail(_ key: Key, _ id: String) -> [Effect] {
    switch key {
    case .char("q"): return [.quit]
    case .escape, .enter, .backspace, .char("h"), .left: screen = .main
    case .down, .char("j"): detailScroll += 1
    case .up, .char("k"): detailScroll = max(0, detailScroll - 1)
    case .pageDown: detailScroll += max(1, height - 3)
    case .pageUp: detailScroll = max(0, detailScroll - max(1, height - 3))
    case .home, .char("g"): detailScroll = 0
    case .char("?"): showHelp = true
    case .char("r"): return [.requestLogTail(id: id)]
    default: break
    }
    return []
  }

  mutating func handleMain(_ key: Key) -> [Effect] {
    switch key {
    case .char("q"): return [.quit]
    case .char("?"), .function(1): showHelp = true
    case .tab, .backTab: focus = focus == .runs ? .charts : .runs
    case .char("/"):
      runList.editingFilter = true
    case .escape:
      if !filter.isEmpty {
        runList.setFilter("", rowsShown: listRowsShown)
      } else if mode == .replay && config.mode == .live {
        mode = .live
        replayRun = nil
      }
    case .up, .char("k"): moveVertical(-1)
    case .down, .char("j"): moveVertical(1)
    case .pageUp: moveCursor(-max(1, Layout(self).listRows - 1))
    case .pageDown: moveCursor(max(1, Layout(self).listRows - 1))
    case .char("g"): moveCursor(-rows.count)
    case .char("G"): moveCursor(rows.count)
    case .home:
      if mode == .replay {
        replay.seek(to: replayTimeline.firstStep, replayTimeline)
      } else {
        moveCursor(-rows.count)
      }
    case .end:
      if mode == .replay {
        replay.seek(to: replayTimeline.lastStep, replayTimeline)
      } else {
        moveCursor(rows.count)
      }
    case .char(" "):
      if mode == .replay { replay.togglePause(replayTimeline) } else { toggleSelected() }
    case .char("m"): toggleSelected()
    case .char("c"): selected = []
    case .char("a"):
      // Mark every listed run (a filtered sweep at once); again to unmark them.
      let ids = visible.map { runs[$0].id }
      if ids.allSatisfy(selected.contains) {
        selected.subtract(ids)
      } else {
        selected.formUnion(ids)
      }
    case .char("n") where config.readOnly != nil, .char("x") where config.readOnly != nil,
      .char("R") where config.readOnly != nil:
      notice = config.readOnly
    case .char("C"):
      // The compare view lists runs that differ only in seed as one line.
      runList.seedLines.toggle()
      refilter()
    case .char("o"): toggleCollapsed()
    case .char("O"): toggleAllCollapsed()
    case .char("n"):
      sweepForm = SweepForm()
      sweepLaunching = false
    case .char("x"): confirm({ .cancel(ids: $0) }, "cancel")
    case .char("R"): confirm({ .resume(ids: $0) }, "resume")
    case .enter:
      if cursor < rows.count, case .header = rows[cursor] {
        toggleCollapsed()
        break
      }
      guard let run = cursorRun else { break }
      screen = .detail(run.id)
      detailScroll = 0
      return [.requestLogTail(id: run.id)]
    case .char("M"):
      screen = .metrics
      metrics.enlarged = false
    case .char("w"):
      guard let run = cursorRun else { break }
      return openTokens(run.id)
    case .char("e"): return figureEffect()
    case .char("s"): setSmoothing(!smoothing, weight: smoothingWeight)
    case .char("+"), .char("="): setSmoothing(smoothing, weight: min(0.99, smoothingWeight + 0.05))
    case .char("-"), .char("_"): setSmoothing(smoothing, weight: max(0, smoothingWeight - 0.05))
    case .char("z"): zoomBy(1)
    case .char("Z"): zoomBy(-1)
    case .char("0"):
      zoom = 0
      panStart = 0
    case .char("["), .left, .char("h"): pan(-0.25)
    case .char("]"), .right, .char("l"): pan(0.25)
    case .char("L"): logScale.toggle()
    case .char("r"):
      if mode == .replay {
        if config.mode == .live {
          mode = .live
          replayRun = nil
        } else {
          replayRun = chartRuns.first?.id
          replay.seek(to: replayTimeline.firstStep, replayTimeline)
        }
      } else {
        enterReplay()
      }
    case .char("p"): if mode == .replay { replay.togglePause(replayTimeline) }
    case .char("."):
      if mode == .replay { replay.stepForward(replayTimeline) } else { moveInspect(1) }
    case .char(","):
      if mode == .replay { replay.stepBack(replayTimeline) } else { moveInspect(-1) }
    case .char("i"): toggleInspect()
    case .char("%"): clipOutliers.toggle()
    case .char("X"): xAxis = xAxis.next
    case .char(">"): replay.faster()
    case .char("<"): replay.slower()
    case .char("T"):
      // Without a list, the app loop picks the next theme it knows.
      guard !config.themes.isEmpty else { return [.setTheme("next")] }
      theme = (theme + 1) % config.themes.count
      return [.setTheme(config.themes[theme])]
    case .char("t"): replay.pacing = replay.pacing == .steps ? .recordedTime : .steps
    case .char(let c) where c.isNumber && c != "0":
      if let n = c.wholeNumberValue, n <= Self.chartCount {
        chartFocus = n - 1
        chartFirst = nil
        focus = .charts
      }
    default: break
    }
    return []
  }

  private mutating func moveVertical(_ delta: Int) {
    if focus == .charts {
      chartFocus = (chartFocus + delta + Self.chartCount) % Self.chartCount
      chartFirst = nil
    } else {
      moveCursor(delta)
    }
  }

  /// Marks or unmarks the cursor's row: a run, a seed line's runs, or
  /// (on a header) the group's listed runs.
  mutating func toggleSelected() {
    guard cursor >= 0, cursor < rows.count else { return }
    let ids: [String]
    if case .header(let g) = rows[cursor] {
      ids = runList.groupRuns(g).map(\.id)
    } else {
      ids = rows[cursor].runIndices.map { runs[$0].id }
    }
    guard !ids.isEmpty else { return }
    if ids.allSatisfy(selected.contains) { selected.subtract(ids) } else { selected.formUnion(ids) }
  }

  private mutating func setSmoothing(_ on: Bool, weight: Double) {
    smoothing = on
    smoothingWeight = (weight * 100).rounded() / 100
    syncSmoothing()
  }

  /// The largest zoom: a window of 1/4096 of the steps.
  static let maxZoom = 12

  private mutating func zoomBy(_ delta: Int) {
    let old = 1 / Double(1 << zoom)
    let center = panStart + old / 2
    zoom = min(max(0, zoom + delta), Self.maxZoom)
    let span = 1 / Double(1 << zoom)
    panStart = min(max(0, center - span / 2), 1 - span)
  }

  private mutating func pan(_ fraction: Double) {
    let span = 1 / Double(1 << zoom)
    panStart = min(max(0, panStart + fraction * span), 1 - span)
  }
}

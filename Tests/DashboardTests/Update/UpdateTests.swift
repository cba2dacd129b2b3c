import Testing

@testable import Dashboard
@testable import RunLog

@Suite struct UpdateTests {
  static func keys(_ s: inout DashboardState, _ text: String) {
    for c in text { _ = update(&s, .key(.char(c))) }
  }

  @Test func quitKeys() {
    var s = Fixtures.twoRuns()
    #expect(update(&s, .key(.char("q"))) == [.quit])
    #expect(update(&s, .key(.ctrl("c"))) == [.quit])
    _ = update(&s, .key(.char("/")))
    #expect(update(&s, .key(.char("q"))) == [])  // typed into the filter
    #expect(update(&s, .key(.ctrl("c"))) == [.quit])
  }

  @Test func filterByTyping() {
    var s = Fixtures.twoRuns()
    _ = update(&s, .key(.char("/")))
    Self.keys(&s, "dpop")
    #expect(s.visible.count == 1)
    #expect(s.cursorRun?.manifest.name == "dpop-b0.1")
    _ = update(&s, .key(.enter))
    #expect(!s.editingFilter && s.filter == "dpop")
    expectSnapshot(render(s), "filter-dpop")
    _ = update(&s, .key(.escape))
    #expect(s.filter.isEmpty && s.visible.count == 2)
    #expect(s.cursorRun?.manifest.name == "dpop-b0.1")  // the cursor stays on its run
    _ = update(&s, .key(.char("/")))
    Self.keys(&s, "zz")
    #expect(s.visible.isEmpty && s.cursorRun == nil)
    _ = update(&s, .key(.backspace))
    _ = update(&s, .key(.backspace))
    #expect(s.visible.count == 2)
  }

  @Test func spaceMarksRunsForTheCharts() {
    var s = Fixtures.twoRuns()
    #expect(s.chartRuns.map(\.manifest.name) == ["dpo-b0.1"])
    _ = update(&s, .key(.down))
    #expect(s.chartRuns.map(\.manifest.name) == ["dpop-b0.1"])
    _ = update(&s, .key(.char(" ")))
    _ = update(&s, .key(.up))
    _ = update(&s, .key(.char(" ")))
    #expect(s.chartRuns.map(\.manifest.name) == ["dpo-b0.1", "dpop-b0.1"])
    expectSnapshot(render(s), "multi-select")
    _ = update(&s, .key(.char(" ")))
    #expect(s.chartRuns.map(\.manifest.name) == ["dpop-b0.1"])
    _ = update(&s, .key(.char("c")))
    #expect(s.selected.isEmpty)
  }

  @Test func tenThousandRunsScroll() {
    var s = DashboardState(config: DashboardConfig(width: 100, height: 30))
    for i in 0..<10_000 {
      let m = Fixtures.manifest("run-\(i)", status: .running)
      _ = update(&s, .runUpdated(id: "r/\(i)", kind: "dpotop", manifest: m))
    }
    #expect(s.visible.count == 10_000)
    _ = update(&s, .key(.char("G")))
    #expect(s.cursorRun?.manifest.name == "run-9999")
    let text = render(s).plainText
    #expect(text.contains("run-9999"))
    #expect(!text.contains("run-0 "))
    _ = update(&s, .key(.pageUp))
    #expect(s.cursor < 9999 && s.cursor > 9960)
    _ = update(&s, .key(.char("g")))
    #expect(render(s).plainText.contains("run-0 "))
    _ = update(&s, .key(.char("/")))
    Self.keys(&s, "run-777")
    #expect(s.visible.count == 11)  // run-777 and run-7770...run-7779
    _ = update(&s, .runRemoved(id: "r/777"))
    #expect(s.visible.count == 10 && s.runs.count == 9_999)
  }

  @Test func stoppedWhenThePidIsGone() {
    var s = Fixtures.state([(Fixtures.manifest("a", status: .running), Fixtures.store(steps: 3))])
    #expect(s.runs[0].status == .running)
    _ = update(&s, .liveness(id: "runs/a", alive: false))
    #expect(s.runs[0].status == .stopped)
    #expect(render(s).plainText.contains("stopped"))
    _ = update(&s, .liveness(id: "runs/a", alive: true))
    #expect(s.runs[0].status == .running)
  }

  @Test func detailOpensWithALogTailRequestAndEscGoesBack() {
    var s = Fixtures.twoRuns()
    let fx = update(&s, .key(.enter))
    #expect(fx == [.requestLogTail(id: "runs/dpo-b0.1")])
    #expect(s.screen == .detail("runs/dpo-b0.1"))
    _ = update(&s, .logTail(id: "runs/dpo-b0.1", lines: ["step 99 loss 0.12", "done"]))
    let g = render(s)
    expectSnapshot(g, "detail")
    #expect(g.plainText.contains("mean edit dist."))
    #expect(g.plainText.contains("done"))
    _ = update(&s, .key(.escape))
    #expect(s.screen == .main)
  }

  @Test func zoomPanAndLogScale() {
    var s = Fixtures.twoRuns()
    _ = update(&s, .key(.char("z")))
    _ = update(&s, .key(.char("z")))
    #expect(ChartKind.loss.model(s).steps == 37...62)
    _ = update(&s, .key(.char("]")))
    #expect(ChartKind.loss.model(s).steps == 43...68)
    for _ in 0..<10 { _ = update(&s, .key(.char("]"))) }
    #expect(ChartKind.loss.model(s).steps == 74...99)
    expectSnapshot(render(s), "zoomed")
    _ = update(&s, .key(.char("0")))
    #expect(ChartKind.loss.model(s).steps == 0...99)
    _ = update(&s, .key(.char("L")))
    let text = render(s).plainText
    #expect(text.contains("log n/a"))  // log-ratio crosses zero
    #expect(ChartKind.loss.model(s).logScale)
  }

  @Test func smoothingKeys() {
    var s = Fixtures.twoRuns()
    _ = update(&s, .key(.char("s")))
    // Only the runs on the charts carry smoothed series.
    #expect(s.smoothing && s.runs[0].data.smoothingWeight == 0.6)
    #expect(s.runs[1].data.smoothingWeight == nil)
    _ = update(&s, .key(.down))
    #expect(s.runs[0].data.smoothingWeight == nil && s.runs[1].data.smoothingWeight == 0.6)
    _ = update(&s, .key(.char("a")))
    #expect(s.runs.allSatisfy { $0.data.smoothingWeight == 0.6 })
    // New data extends the smoothed copies of shown runs.
    _ = update(
      &s,
      .metrics(
        id: "runs/dpo-b0.1", delta: Fixtures.store(steps: 5, from: 100), reset: false,
        badCount: 0, recentBad: []))
    #expect(s.runs[0].data.smoothed[SeriesID("loss")]?.points.lastStep == 104)
    _ = update(&s, .key(.char("c")))
    _ = update(&s, .key(.up))
    _ = update(&s, .key(.char("+")))
    #expect(s.smoothingWeight == 0.65)
    #expect(s.runs[0].data.smoothingWeight == 0.65)
    #expect(render(s).plainText.contains("EMA 0.65"))
    for _ in 0..<30 { _ = update(&s, .key(.char("-"))) }
    #expect(s.smoothingWeight == 0)
    _ = update(&s, .key(.char("s")))
    #expect(s.runs[0].data.smoothingWeight == nil)
  }

  @Test func tabMovesFocusAndArrowsMoveTheChartFocus() {
    var s = Fixtures.twoRuns(width: 60, height: 24)
    _ = update(&s, .key(.tab))
    #expect(s.focus == .charts)
    _ = update(&s, .key(.down))
    _ = update(&s, .key(.char("j")))
    #expect(s.chartFocus == 2)
    #expect(render(s).plainText.contains("rewards"))
    _ = update(&s, .key(.char("6")))
    #expect(s.chartFocus == 5)
    _ = update(&s, .key(.backTab))
    #expect(s.focus == .runs)
  }

  @Test func metricsResetReplacesTheRunsData() {
    var s = Fixtures.twoRuns()
    _ = update(
      &s,
      .metrics(
        id: "runs/dpo-b0.1", delta: Fixtures.store(steps: 5), reset: true, badCount: 3,
        recentBad: [BadLine(path: "m.jsonl", line: 7, reason: "not JSON")]))
    #expect(s.runs[0].step == 4)
    #expect(s.runs[0].badCount == 3)
    #expect(render(s).plainText.contains("3 bad lines"))
    _ = update(&s, .runError(id: "runs/dpo-b0.1", message: "metrics.jsonl is a directory"))
    #expect(render(s).plainText.contains("error"))
  }
}

@Suite struct UnreadableRunTests {
  @Test func aRunWithAnUnreadableManifestStillShowsWithItsError() {
    var s = DashboardState(config: DashboardConfig(width: 100, height: 20))
    _ = update(&s, .runError(id: "runs/broken", message: "run.json: missing field \"id\""))
    #expect(s.runs.count == 1)
    #expect(s.runs[0].manifest.name == "broken")
    let text = render(s).plainText
    #expect(text.contains("broken") && text.contains("error"))
    _ = update(
      &s, .runUpdated(id: "runs/broken", kind: "dpotop", manifest: Fixtures.manifest("fixed")))
    _ = update(
      &s,
      .metrics(
        id: "runs/broken", delta: Fixtures.store(steps: 3), reset: false, badCount: 0, recentBad: []
      ))
    #expect(s.runs.count == 1 && s.runs[0].manifest.name == "fixed" && s.runs[0].error == nil)
  }
}

@Suite struct FilterByStatusTests {
  @Test func aFilterOnStatusFollowsLivenessAndManifestChanges() {
    var s = Fixtures.state([
      (Fixtures.manifest("a", status: .running), Fixtures.store(steps: 2)),
      (Fixtures.manifest("b", status: .running), Fixtures.store(steps: 2)),
    ])
    _ = update(&s, .key(.char("/")))
    for c in "stopped" { _ = update(&s, .key(.char(c))) }
    #expect(s.visible.isEmpty)
    _ = update(&s, .liveness(id: "runs/b", alive: false))
    #expect(s.visible.map { s.runs[$0].manifest.name } == ["b"])
    _ = update(
      &s,
      .runUpdated(id: "runs/b", kind: "dpotop", manifest: Fixtures.manifest("b", status: .finished))
    )
    #expect(s.visible.isEmpty)
  }
}

@Suite struct RunRemovedTests {
  @Test func aRunDeletedWhileShownLeavesItsScreens() {
    var s = Fixtures.twoRuns()
    _ = update(&s, .key(.char("r")))  // replay paced by the first run
    _ = update(&s, .key(.enter))
    #expect(s.screen == .detail("runs/dpo-b0.1"))
    _ = update(&s, .runRemoved(id: "runs/dpo-b0.1"))
    #expect(s.screen == .main)
    #expect(s.replayRun == nil)
    #expect(s.cursorRun?.manifest.name == "dpop-b0.1")
    _ = update(&s, .tick(now: 2_000_000_000))
    _ = update(&s, .runRemoved(id: "runs/dpop-b0.1"))
    _ = update(&s, .tick(now: 2_000_000_001))
    let g = render(s)
    #expect(g.plainText.contains("no runs found"))
    #expect(s.chartRuns.isEmpty)
    _ = update(&s, .runRemoved(id: "runs/never-seen"))
    for k in [Key.enter, .char(" "), .char("."), .end, .char("a"), .char("m")] {
      _ = update(&s, .key(k))
    }
    _ = render(s)
  }
}

import RunLog
import Testing

@testable import Dashboard

/// Whole-screen snapshots of the main view (plain text in Snapshots/*.txt).
@Suite struct MainScreenTests {
  @Test func mainViewWithTwoRunsMarked() {
    var s = Fixtures.twoRuns()
    for k in [Key.char("m"), .down, .char("m")] { _ = update(&s, .key(k)) }
    #expect(s.chartRuns.count == 2)
    let g = render(s)
    expectSnapshot(g, "main-two-runs")
    expectAlignedAndClean(g)
  }

  /// The runs pane's cursor row is one full-width bar in the selection role,
  /// never reversed on top of it (reverse twice is no highlight at all
  /// without colour, where the selection role is reverse video; issue 30).
  @Test func cursorRowIsAFullWidthSelectionBar() {
    let s = Fixtures.twoRuns()
    #expect(s.focus == .runs)
    let g = render(s)
    let rows = (0..<g.height).filter { y in
      (0..<g.width).contains { g[$0, y].style.role == .selection }
    }
    #expect(rows.count == 1, "one cursor row, got \(rows)")
    guard let y = rows.first else { return }
    let bar = (0..<g.width).filter { g[$0, y].style.role == .selection }
    // Inside the pane's border: every cell from the first to the last.
    // Only the `!` mark (chosen below the reference) keeps its own colour.
    let others = (bar.first!...bar.last!).filter { g[$0, y].style.role != .selection }
    #expect(bar.count >= 30, "\(bar)")
    #expect(others.allSatisfy { g[$0, y].char == "!" }, "not in the bar: \(others) of \(bar)")
    #expect(bar.allSatisfy { !g[$0, y].style.reverse && !g[$0, y].style.underline })
  }

  @Test func mainViewWideTerminalShowsEveryColumn() {
    let s = Fixtures.twoRuns(width: 200, height: 60)
    let text = render(s).plainText
    for header in ["name", "obj", "β", "λ", "status", "step", "loss"] {
      #expect(text.contains(header), "missing column \(header)")
    }
    #expect(text.contains("99/100"))
    expectSnapshot(render(s), "main-200x60")
  }

  @Test func replayMidwayCutsEveryChartAtTheReplayStep() {
    var s = Fixtures.twoRuns()
    _ = update(&s, .seek(step: 50))
    #expect(s.mode == .replay)
    #expect(s.replay.step == 50)
    #expect(!s.replay.playing)
    let g = render(s)
    expectSnapshot(g, "replay-step-50")
    // The x axis ends at the replay step, not at the run's last step.
    #expect(g.plainText.contains(" 50"))
    #expect(!g.plainText.contains("99\n"))
    #expect(g.plainText.contains("REPLAY"))
  }

  @Test func helpOverlayListsEveryKey() {
    var s = Fixtures.twoRuns()
    _ = update(&s, .key(.char("?")))
    let g = render(s)
    expectSnapshot(g, "help-overlay")
    for (keys, _) in HelpOverlay.keys { #expect(g.plainText.contains(keys), "help lacks \(keys)") }
    _ = update(&s, .key(.char("x")))
    #expect(!s.showHelp)
  }

  @Test func smallTerminal40x12() {
    let g = render(Fixtures.twoRuns(width: 40, height: 12))
    expectSnapshot(g, "small-40x12")
    expectAlignedAndClean(g)
  }

  @Test func tinyTerminalsShowANoteAndNeverCrash() {
    expectSameScreen(
      render(Fixtures.twoRuns(width: 8, height: 3)).plainText,
      """
      terminal
      too
      small:
      """)
    for (w, h) in [(1, 1), (0, 0), (1, 40), (200, 1), (19, 6), (20, 6), (2, 2)] {
      let g = render(Fixtures.twoRuns(width: w, height: h))
      #expect(g.width == max(0, w) && g.height == max(0, h))
      expectAlignedAndClean(g)
    }
  }

  @Test func resizeManyTimesKeepsTheCursorInView() {
    var s = Fixtures.twoRuns()
    _ = update(&s, .key(.down))
    for i in 0..<100 {
      _ = update(&s, .resized(width: 1 + (i * 37) % 220, height: 1 + (i * 13) % 70))
      let g = render(s)
      #expect(g.width == s.width)
    }
    #expect(s.cursorRun?.manifest.name == "dpop-b0.1")
  }

  @Test func asciiMode() {
    let s = Fixtures.twoRuns(config: DashboardConfig(glyphs: .ascii))
    let g = render(s)
    expectSnapshot(g, "ascii")
    for c in g.cells { #expect(c.char.isASCII || c.char == Cell.continuationChar) }
  }

  @Test func noColorModeUsesOnlyTheNormalRoleForSeries() {
    var s = Fixtures.twoRuns(config: DashboardConfig(noColor: true))
    for k in [Key.char("m"), .down, .char("m")] { _ = update(&s, .key(k)) }
    let g = render(s)
    expectSnapshot(g, "no-color")
    for c in g.cells {
      if case .series = c.style.role { Issue.record("series colour in NO_COLOR mode") }
    }
    // Every line of the log-prob chart gets its own dash pattern instead.
    let model = ChartKind.logps.model(s)
    #expect(Set(model.lines.map(\.pattern.mask)).count >= 4)
  }

  @Test func seriesColoursDistinguishRunsWhenSeveralAreMarked() {
    var s = Fixtures.twoRuns()
    for k in [Key.char("m"), .down, .char("m")] { _ = update(&s, .key(k)) }
    let roles = Set(ChartKind.loss.model(s).lines.map(\.style.role))
    #expect(roles == [.series(0), .series(1)])
    let g = render(s)
    let used = Set(g.cells.map(\.style.role))
    #expect(used.contains(.series(0)) && used.contains(.series(1)))
  }

  @Test func warningMarkUsesTheWarningRole() {
    let s = Fixtures.twoRuns()
    let g = render(s)
    // Row 2 is the first run (DPO drifting below the reference); row 3 DPOP.
    #expect(g[2, 2].char == "!")
    #expect(g[2, 2].style.role == .warning)
    #expect(g[2, 3].char != "!")
    #expect(s.runs[0].chosenBelowReference)
    #expect(!s.runs[1].chosenBelowReference)
  }

  /// DPOP's chosen log-prob wobbles a few hundredths of a nat around the
  /// reference: only a fall beyond the margin is the failure mode.
  @Test func aSmallDipBelowTheReferenceIsNotFlagged() {
    let s = Fixtures.state([
      (Fixtures.manifest("dip"), Fixtures.store(steps: 10, drift: -0.04)),  // ends 0.36 below
      (Fixtures.manifest("fall"), Fixtures.store(steps: 10, drift: -0.06)),  // ends 0.54 below
      (
        Fixtures.manifest("trl", beta: 0.5),
        Fixtures.store(steps: 10, beta: 0.5, drift: -0.06, refs: false)
      ),
    ])
    #expect(!s.runs[0].chosenBelowReference)
    #expect(s.runs[1].chosenBelowReference)
    // Without reference log-probs: rewards/chosen ÷ β = −0.54 nats.
    #expect(s.runs[2].chosenBelowReference)
  }
}

import RunLog
import Testing

@testable import Dashboard

/// The inspect cursor (issue 30 item 3): one step for every chart, a box
/// with each line's value there, following replay.
@Suite struct InspectCursorTests {
  static func twoMarked() -> DashboardState {
    var s = Fixtures.twoRuns()
    for k in [Key.char("m"), .down, .char("m"), .char("i")] { _ = update(&s, .key(k)) }
    return s
  }

  @Test func iPutsTheCursorMidWindowAndEveryChartUsesIt() {
    var s = Self.twoMarked()
    #expect(s.cursorStep == 49)
    for _ in 0..<3 { _ = update(&s, .key(.char("."))) }
    #expect(s.cursorStep == 52)
    let drawn = ChartKind.allCases.map { $0.model(s) }.filter { $0.steps != nil }
    #expect(drawn.count >= 6 && drawn.allSatisfy { $0.cursor == 52 })
    let g = render(s)
    expectSnapshot(g, "inspect-cursor")
    expectAlignedAndClean(g)
    let loss = ChartKind.loss.model(s)
    let v = loss.lines.first { $0.name == "dpo-b0.1 train" }?.point(atOrBefore: 52)
    #expect(v?.step == 52)
    #expect(g.plainText.contains("step 52"))
    // Names are cut in a small chart's box; the value leads.
    #expect(g.plainText.contains("│" + NumberFormat.compact(v!.value) + " dp"))
    _ = update(&s, .key(.char("i")))
    #expect(s.cursorStep == nil && !render(s).plainText.contains("step 52"))
  }

  @Test func theBoxStaysAwayFromTheCursorAtEitherEdge() {
    var s = Self.twoMarked()
    for _ in 0..<60 { _ = update(&s, .key(.char(","))) }
    #expect(s.cursorStep == 0)
    expectSnapshot(render(s), "inspect-cursor-left-edge")
    for _ in 0..<120 { _ = update(&s, .key(.char("."))) }
    #expect(s.cursorStep == 99)
    expectSnapshot(render(s), "inspect-cursor-right-edge")
  }

  @Test func inReplayItFollowsTheReplayPosition() {
    var s = Self.twoMarked()
    _ = update(&s, .seek(step: 30))
    #expect(s.cursorStep == 30)
    _ = update(&s, .key(.char(".")))
    #expect(s.cursorStep == s.replay.step)
    #expect(render(s).plainText.contains("step \(s.replay.step)"))
  }

  @Test func withSmoothingTheBoxShowsSmoothedAndRawValues() {
    var s = Fixtures.state(
      [(Fixtures.manifest("dpo-b0.1"), Fixtures.store(steps: 100, drift: -0.1))], width: 200,
      height: 40)
    _ = update(&s, .key(.char("s")))
    _ = update(&s, .key(.char("i")))
    let g = render(s)
    expectSnapshot(g, "inspect-cursor-smoothed-200")
    let loss = ChartKind.loss.model(s)
    let line = loss.lines.first { !$0.style.dim }
    let raw = line?.raw?.points
    #expect(raw != nil)
    // The fixture's loss at step 49 is 0.69 / (1 + 49 / 20) = 0.2; the EMA lags above it.
    #expect(g.plainText.contains("(raw 0.2)"))
  }
}

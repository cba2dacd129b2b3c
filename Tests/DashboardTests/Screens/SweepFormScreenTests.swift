import Sweeps
import Testing

@testable import Dashboard

/// The `n` form, the cancel/resume confirmations and their effects.
@Suite struct SweepFormScreenTests {
  static func type(_ s: inout DashboardState, _ text: String) {
    for c in text { _ = update(&s, .key(.char(c))) }
  }

  @Test func badInputIsRefusedWithAMessageAndGoodInputLaunches() {
    var s = Fixtures.twoRuns()
    _ = update(&s, .key(.char("n")))
    #expect(s.sweepForm != nil)
    _ = update(&s, .key(.tab))  // betas
    _ = update(&s, .key(.ctrl("u")))
    Self.type(&s, "0,abc")
    #expect(s.sweepForm?.errors[.betas] != nil)
    #expect(update(&s, .key(.enter)) == [])  // refused, not launched
    let g = render(s)
    expectSnapshot(g, "sweep-form-error")
    #expect(g.plainText.contains("betas"))
    #expect(g[0, 39].char == " " && g.plainText.contains("NEW SWEEP"))
    _ = update(&s, .key(.ctrl("u")))
    Self.type(&s, "0.1,0.3")
    let fx = update(&s, .key(.enter))
    guard case .launchSweep(let launch) = fx.first else {
      Issue.record("no launch: \(fx)")
      return
    }
    #expect(launch.spec.betas == [0.1, 0.3])
    #expect(launch.backend == .local)
    #expect(s.sweepLaunching)
    _ = update(&s, .sweepLaunchFailed(message: "sweeps/x already exists"))
    #expect(!s.sweepLaunching)
    #expect(render(s).plainText.contains("sweeps/x already exists"))
    _ = update(&s, .key(.enter))
    _ = update(&s, .sweepLaunched(path: "sweeps/y"))
    #expect(s.sweepForm == nil)
    #expect(render(s).plainText.contains("sweep started: sweeps/y"))
    _ = update(&s, .key(.down))
    #expect(s.notice == nil)
  }

  @Test func escClosesTheFormAndQIsTypedNotQuit() {
    var s = Fixtures.twoRuns()
    _ = update(&s, .key(.char("n")))
    #expect(update(&s, .key(.char("q"))) == [])
    _ = update(&s, .key(.escape))
    #expect(s.sweepForm == nil)
    #expect(update(&s, .key(.char("q"))) == [.quit])
  }

  @Test func aTenKilobytePasteIntoAFieldIsCappedAndDrawn() {
    var s = Fixtures.twoRuns(width: 60, height: 20)
    _ = update(&s, .key(.char("n")))
    for _ in 0..<10_240 { _ = update(&s, .key(.char("9"))) }
    #expect((s.sweepForm?.texts[.objectives]?.utf8.count ?? 0) <= SweepForm.maxFieldLength)
    let g = render(s)
    expectAlignedAndClean(g)
    #expect(g.plainText.contains("…999"))
  }

  @Test func cancelAndResumeAskFirst() {
    var s = Fixtures.twoRuns()
    _ = update(&s, .key(.char("x")))
    #expect(render(s).plainText.contains("cancel dpo-b0.1? y/n"))
    #expect(update(&s, .key(.char("y"))) == [.cancelRuns(ids: ["runs/dpo-b0.1"])])
    _ = update(&s, .key(.char("a")))
    _ = update(&s, .key(.char("R")))
    #expect(s.notice == "resume 2 runs? y/n")
    #expect(update(&s, .key(.char("n"))) == [])
    #expect(s.confirmation == nil && s.sweepForm == nil)
    _ = update(&s, .key(.char("R")))
    #expect(
      update(&s, .key(.char("Y"))) == [.resumeRuns(ids: ["runs/dpo-b0.1", "runs/dpop-b0.1"])])
  }
}

import Testing

@testable import Dashboard

/// A dashboard on remote paths: run control refused with the read-only
/// message, and a dropped link shown on the status line until it is back.
@Suite struct RemoteViewTests {
  static let readOnly = "remote view is read-only: cancel, resume and new sweeps run elsewhere"

  @Test func cancelResumeAndNewSweepAreRefused() {
    var config = DashboardConfig(width: 120, height: 40)
    config.readOnly = Self.readOnly
    var s = Fixtures.twoRuns(config: config)
    for key in ["x", "R", "n"] {
      #expect(update(&s, .key(.char(Character(key)))) == [])
      #expect(s.notice == Self.readOnly)
      #expect(s.confirmation == nil && s.sweepForm == nil)
      #expect(render(s).plainText.contains("remote view is read-only"))
      _ = update(&s, .key(.char("j")))
    }
    // Locally the same keys ask, as before.
    var local = Fixtures.twoRuns()
    _ = update(&local, .key(.char("x")))
    #expect(local.confirmation != nil)
  }

  @Test func droppedLinkShowsUntilItIsBack() {
    var s = Fixtures.twoRuns()
    let down = "gpu1 disconnected, retrying in 4 s (last data 12:00:00 UTC): Connection refused"
    _ = update(&s, .connection(host: "gpu1", problem: down))
    #expect(render(s).plainText.split(separator: "\n").last?.contains("gpu1 disconnected") == true)
    _ = update(&s, .key(.char("j")))  // a key clears a notice, not the link's state
    #expect(render(s).plainText.contains("gpu1 disconnected"))
    _ = update(&s, .connection(host: "gpu1", problem: nil))
    #expect(!render(s).plainText.contains("disconnected"))
  }
}

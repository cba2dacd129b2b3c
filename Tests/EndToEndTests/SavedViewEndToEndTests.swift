import Foundation
import Testing

/// Where the user left off, through the real binary: quit, open again on the
/// same directory and find the marks, filter and smoothing back; `--fresh`
/// starts clean; a corrupt saved view costs one notice.
@Suite(.serialized) struct SavedViewEndToEndTests {
  @Test func reopenFreshAndCorrupt() throws {
    let root = try DashboardEndToEndTests.twoRuns()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let tmux = try Tmux(width: 120, height: 40)
    defer { tmux.kill() }
    let open = try DashboardEndToEndTests.command(root)
    try tmux.type(open)
    try tmux.waitFor("both runs") { $0.contains("dpop-b0.3") && $0.contains("LIVE") }
    // Mark both runs, filter to dpop, smoothing on; quit.
    try tmux.send("a")
    try tmux.send("s")
    try tmux.send("/")
    try tmux.run(["send-keys", "-t", tmux.session, "-l", "dpop"])
    try tmux.send("Enter")
    try tmux.waitFor("filtered and smoothed") { $0.contains("/dpop") && $0.contains("EMA") }
    try tmux.send("q")
    _ = try DashboardEndToEndTests.waitForExit(tmux)
    let saved = try FileManager.default.contentsOfDirectory(atPath: tmux.stateHome + "/dpotop")
    #expect(saved.count == 1, "\(saved)")

    // Open again: the filter and smoothing are back, and both marks (the
    // legend names both runs though only one is listed).
    try tmux.type("clear; " + open)
    try tmux.waitFor("the view restored") { screen in
      screen.contains("/dpop") && screen.contains("EMA")
        && screen.split(separator: "\n").contains {
          $0.contains("dpo-b0.1") && $0.contains("dpop-b0.3")
        }
    }
    try tmux.send("q")
    _ = try DashboardEndToEndTests.waitForExit(tmux)

    // --fresh: none of it.
    try tmux.type("clear; " + (try DashboardEndToEndTests.command(root + " --fresh")))
    let fresh = try tmux.waitFor("a fresh start") {
      $0.contains("LIVE") && $0.contains("dpop-b0.3")
    }
    #expect(!fresh.contains("/dpop") && !fresh.contains("EMA"))
    try tmux.send("q")
    _ = try DashboardEndToEndTests.waitForExit(tmux)

    // A corrupt file: one notice, the dashboard opens as usual.
    let file = tmux.stateHome + "/dpotop/" + saved[0]
    try Data("{ not json".utf8).write(to: URL(fileURLWithPath: file))
    try tmux.type("clear; " + open)
    try tmux.waitFor("the notice") { $0.contains("ignored") && $0.contains("dpop-b0.3") }
    try tmux.send("q")
    let (status, _) = try DashboardEndToEndTests.waitForExit(tmux)
    #expect(status == 0)
  }
}

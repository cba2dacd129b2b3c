import Foundation
import RunFixtures
import Testing

/// The mouse in a real tmux (`set -g mouse on`): dpotop turns mouse reports
/// on and off again, and clicks, wheel turns and drags sent as the SGR 1006
/// bytes xterm writes move the cursor, mark runs, zoom and pan.
@Suite(.serialized) struct MouseEndToEndTests {
  /// The bytes xterm sends for a mouse event at 0-based cell (x, y).
  static func sgr(_ code: Int, _ x: Int, _ y: Int, release: Bool = false) -> String {
    "\u{1B}[<\(code);\(x + 1);\(y + 1)" + (release ? "m" : "M")
  }

  static func send(_ tmux: Tmux, _ bytes: String) throws {
    try tmux.run(["send-keys", "-t", tmux.session, "-l", bytes])
  }

  /// The pane's mouse modes as tmux sees them: "button sgr" flags.
  static func mouseFlags(_ tmux: Tmux) throws -> String {
    try tmux.run([
      "display-message", "-p", "-t", tmux.session, "#{mouse_button_flag} #{mouse_sgr_flag}",
    ]).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  static func lines(_ screen: String) -> [String] {
    screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  }

  /// The first x-axis step label of the chart whose box starts at column
  /// `left` (the row under its first `└┬`).
  static func firstStepLabel(_ screen: String, left: Int) -> Int? {
    let rows = lines(screen)
    guard let axis = rows.firstIndex(where: { $0.contains("└┬") }), axis + 1 < rows.count else {
      return nil
    }
    let label = Array(rows[axis + 1]).dropFirst(left).prefix(40)
    let words = String(label).split { $0 == " " || $0 == "│" || $0 == "|" }
    return words.first.flatMap { Int($0.filter(\.isNumber)) }
  }

  @Test func clickMarkWheelDrag() throws {
    let root = try DashboardEndToEndTests.twoRuns()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let tmux = try Tmux(width: 120, height: 40)
    defer { tmux.kill() }
    try tmux.run(["set-option", "-g", "mouse", "on"])
    try tmux.type(try DashboardEndToEndTests.command(root))
    var screen = try tmux.waitFor("both runs read") {
      $0.contains("dpo-b0.1") && $0.contains("dpop-b0.3")
        && DashboardEndToEndTests.bothRunsRead($0)
    }
    try waitUntil("mouse reports on", timeout: Deadline.screen) {
      (try? Self.mouseFlags(tmux)) == "1 1"
    }

    // Click the second run's name: the cursor goes there (Enter opens its detail).
    let rows = Self.lines(screen)
    let dpopRow = try #require(rows.firstIndex { $0.contains("dpop-b0.3") })
    let dpoRow = try #require(rows.firstIndex { $0.contains("dpo-b0.1") })
    try Self.send(tmux, Self.sgr(0, 10, dpopRow) + Self.sgr(0, 10, dpopRow, release: true))
    try tmux.send("Enter")
    try tmux.waitFor("the clicked run's detail") { $0.contains("run dpop-b0.3") }
    try tmux.send("Escape")
    try tmux.waitFor("the main view") { $0.contains("LIVE") && $0.contains("log-probs") }

    // Click both mark columns: two swatches, a legend naming both runs.
    try Self.send(tmux, Self.sgr(0, 1, dpoRow) + Self.sgr(0, 1, dpoRow, release: true))
    try Self.send(tmux, Self.sgr(0, 1, dpopRow) + Self.sgr(0, 1, dpopRow, release: true))
    screen = try tmux.waitFor("both runs marked") { screen in
      Self.lines(screen).contains { $0.contains("dpo-b0.1") && $0.contains("dpop-b0.3") }
    }
    let left = try #require(Self.firstStepLabel(screen, left: 48))
    #expect(left <= 1)

    // The wheel at the right edge of the first chart: zoomed to the later half.
    let chartRow = 5
    let rightEdge = 48 + 34
    try Self.send(tmux, Self.sgr(64, rightEdge, chartRow))
    screen = try tmux.waitFor("zoomed to the later steps") {
      (Self.firstStepLabel($0, left: 48) ?? 0) >= 90
    }
    let zoomed = try #require(Self.firstStepLabel(screen, left: 48))

    // Drag to the right: earlier steps come into view.
    try Self.send(
      tmux,
      Self.sgr(0, 70, chartRow) + Self.sgr(32, 75, chartRow) + Self.sgr(32, 80, chartRow)
        + Self.sgr(0, 80, chartRow, release: true))
    try tmux.waitFor("panned to earlier steps") {
      let label = Self.firstStepLabel($0, left: 48) ?? zoomed
      return label < zoomed && label > 1
    }

    // q quits; the terminal's mouse modes are off again.
    try tmux.send("q")
    let (status, _) = try DashboardEndToEndTests.waitForExit(tmux)
    #expect(status == 0)
    #expect(try Self.mouseFlags(tmux) == "0 0")
    try DashboardEndToEndTests.expectSaneTTY(tmux)
  }

  @Test func noMouseLeavesTheMouseToTheTerminal() throws {
    let root = try DashboardEndToEndTests.twoRuns()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let tmux = try Tmux(width: 100, height: 30)
    defer { tmux.kill() }
    try tmux.type(try DashboardEndToEndTests.command(root + " --no-mouse"))
    try tmux.waitFor("both runs") { $0.contains("dpop-b0.3") && $0.contains("LIVE") }
    #expect(try Self.mouseFlags(tmux) == "0 0")
    try tmux.send("q")
    let (status, _) = try DashboardEndToEndTests.waitForExit(tmux)
    #expect(status == 0)
  }
}

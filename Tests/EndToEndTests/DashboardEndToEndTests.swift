import Foundation
import RunLog
import Testing

/// Drives the real `dpotop` binary in tmux: type keys, read the screen, and
/// check the terminal is given back intact afterwards.
@Suite(.serialized) struct DashboardEndToEndTests {
  /// Two finished runs: DPO (chosen log-probs falling) and DPOP.
  static func twoRuns() throws -> String {
    let root = try Fixtures.tempDir("e2e")
    try Fixtures.writeRun(root: root, name: "dpo-b0.1", objective: "dpo", beta: 0.1, steps: 200)
    try Fixtures.writeRun(
      root: root, name: "dpop-b0.3", objective: "dpop", beta: 0.3, steps: 200, drift: 0.01)
    return root
  }

  /// Both of `twoRuns`' runs listed with their metrics read: the dashboard
  /// lists a folder's runs from their run.json before it reads any metrics
  /// (a big folder shows its list at once), so a screen naming the runs may
  /// still chart nothing; "200/200" is a run's step column once it is read.
  static func bothRunsRead(_ screen: String) -> Bool {
    screen.contains("LIVE") && screen.components(separatedBy: "200/200").count - 1 >= 2
  }

  /// The shell line that runs dpotop with `env` and echoes its exit status.
  static func command(_ args: String, env: String = "") throws -> String {
    "env \(env) \(try Fixtures.binary()) \(args); echo EXIT:$?"
  }

  /// After dpotop exited: the tty is back in cooked mode with echo.
  static func expectSaneTTY(_ tmux: Tmux) throws {
    try tmux.type("clear; stty -a")
    let screen = try tmux.waitFor("stty output") { $0.contains("icanon") }
    let words = Set(screen.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }))
    for flag in ["icanon", "echo", "icrnl", "isig", "opost", "onlcr"] {
      #expect(words.contains(Substring(flag)), "stty shows -\(flag):\n\(screen)")
    }
  }

  /// The status dpotop exited with, from the `echo EXIT:$?` after it (nil: still running).
  static func exitStatus(_ screen: String) -> Int? {
    guard let r = screen.range(of: #"EXIT:[0-9]+"#, options: .regularExpression) else {
      return nil
    }
    return Int(screen[r].dropFirst(5))
  }

  /// Waits for dpotop to exit; returns its status and the screen.
  static func waitForExit(_ tmux: Tmux) throws -> (Int, String) {
    let screen = try tmux.waitFor("dpotop to exit") { exitStatus($0) != nil }
    return (exitStatus(screen) ?? -1, screen)
  }

  static func containsBraille(_ s: String) -> Bool {
    s.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) }
  }

  @Test func openSelectSmoothReplayResizeQuit() throws {
    let root = try Self.twoRuns()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let tmux = try Tmux(width: 120, height: 40)
    defer { tmux.kill() }
    try tmux.type(try Self.command(root))

    // Open: both runs listed, live mode, braille charts.
    var screen = try tmux.waitFor("both runs read") {
      $0.contains("dpo-b0.1") && $0.contains("dpop-b0.3") && Self.bothRunsRead($0)
    }
    #expect(Self.containsBraille(screen))
    #expect(screen.split(separator: "\n").count == 40)

    // Select both runs: the charts overlay them, so a legend names both.
    try tmux.send("Space")
    try tmux.send("j")
    try tmux.send("Space")
    screen = try tmux.waitFor("a legend with both runs") {
      $0.split(separator: "\n").contains { $0.contains("dpo-b0.1") && $0.contains("dpop-b0.3") }
    }

    // Smoothing on: chart titles say EMA.
    try tmux.send("s")
    try tmux.waitFor("smoothing") { $0.contains("EMA") }

    // Replay, then seek to the end.
    try tmux.send("r")
    try tmux.waitFor("replay mode") { $0.contains("REPLAY") }
    try tmux.send("End")
    try tmux.waitFor("replay at the last step") { $0.contains("200/200") && $0.contains("REPLAY") }

    // Resize: the whole screen is redrawn at the new size.
    try tmux.resize(width: 80, height: 24)
    screen = try tmux.waitFor("an 80×24 screen") {
      let lines = $0.split(separator: "\n", omittingEmptySubsequences: false)
      return lines.first?.count == 80 && lines.first?.last == "┐"
        && lines.prefix(24).last?.contains("REPLAY") == true
    }

    // Quit: dpotop exits 0, the alternate screen is gone, the tty is sane.
    try tmux.send("q")
    let status: Int
    (status, screen) = try Self.waitForExit(tmux)
    #expect(status == 0, "\(screen)")
    #expect(!screen.contains("REPLAY"))
    #expect(!Self.containsBraille(screen))
    try Self.expectSaneTTY(tmux)
  }

  @Test func replayFlagStartsInReplay() throws {
    let root = try Self.twoRuns()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let tmux = try Tmux(width: 120, height: 40)
    defer { tmux.kill() }
    try tmux.type(try Self.command(root + " --replay --theme light"))
    try tmux.waitFor("replay mode from the start") { $0.contains("REPLAY") }
    // The light theme paints its own background.
    #expect(try tmux.screenWithEscapes().contains("48;5;231"))
    try tmux.send("q")
    let (status, screen) = try Self.waitForExit(tmux)
    #expect(status == 0, "\(screen)")
  }

  @Test func badThemeIsAnErrorBeforeTheScreenChanges() throws {
    let root = try Self.twoRuns()
    defer { try? FileManager.default.removeItem(atPath: root) }
    try "theme[title]=\"#12\"\n".write(
      toFile: root + "/bad.theme", atomically: true, encoding: .utf8)
    let tmux = try Tmux(width: 120, height: 40)
    defer { tmux.kill() }
    try tmux.type(try Self.command(root + " --theme " + root + "/bad.theme"))
    let (status, screen) = try Self.waitForExit(tmux)
    #expect(status == 2)
    #expect(screen.contains("bad.theme:1: theme[title]: '#12' is not a colour"), "\(screen)")
  }

  @Test func quitSignalsRestoreTheTerminal() throws {
    let root = try Self.twoRuns()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let tmux = try Tmux(width: 100, height: 30)
    defer { tmux.kill() }
    for (sig, status) in [(SIGTERM, 143), (SIGHUP, 129), (SIGINT, 0)] {
      try tmux.type("clear; " + (try Self.command(root)))
      try tmux.waitFor("dashboard up") { $0.contains("LIVE") }
      let shell = try tmux.panePID()
      let child = try #require(Self.children(of: shell).first, "no dpotop process")
      #expect(kill(child, sig) == 0)
      let (got, screen) = try Self.waitForExit(tmux)
      #expect(got == status, "signal \(sig): \(screen)")
      #expect(!screen.contains("LIVE"))
      try Self.expectSaneTTY(tmux)
    }
  }

  @Test func appendedRecordsShowUpLive() throws {
    let root = try Fixtures.tempDir("e2e-live")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let dir = try Fixtures.writeRun(
      root: root, name: "live-run", objective: "dpo", beta: 0.1, steps: 20, status: .running,
      pid: getpid())
    var m = try dir.readManifest()
    m.plannedSteps = 400
    try dir.writeManifest(m)
    let tmux = try Tmux(width: 120, height: 40)
    defer { tmux.kill() }
    try tmux.type(try Self.command(root))
    try tmux.waitFor("the run at step 20") { $0.contains("20/400") }
    let writer = try MetricsWriter(path: dir.metricsPath)
    for step in 21...250 { try writer.append(Fixtures.record(step: step, beta: 0.1, drift: -0.02)) }
    try tmux.waitFor("the run at step 250") { $0.contains("250/400") }
    try tmux.send("q")
    let (status, screen) = try Self.waitForExit(tmux)
    #expect(status == 0, "\(screen)")
  }

  @Test func tinyWindowAndAResizeStorm() throws {
    let root = try Self.twoRuns()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let tmux = try Tmux(width: 100, height: 30)
    defer { tmux.kill() }
    try tmux.type(try Self.command(root))
    try tmux.waitFor("dashboard up") { $0.contains("LIVE") }
    try tmux.resize(width: 1, height: 1)
    Thread.sleep(forTimeInterval: 0.3)
    // 100 resizes, 10 ms apart: faster than the dashboard redraws. (How long
    // tmux takes to make them is tmux's and the machine's business, not a
    // check: under load it took 4.5 s.)
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<100 {
      try tmux.resize(
        width: Int.random(in: 1...200, using: &rng), height: Int.random(in: 1...60, using: &rng))
      Thread.sleep(forTimeInterval: 0.01)
    }
    try tmux.resize(width: 100, height: 30)
    try tmux.waitFor("dashboard back at 100×30") {
      let lines = $0.split(separator: "\n", omittingEmptySubsequences: false)
      return lines.first?.count == 100 && $0.contains("LIVE")
    }
    try tmux.send("q")
    let (status, screen) = try Self.waitForExit(tmux)
    #expect(status == 0, "\(screen)")
    try Self.expectSaneTTY(tmux)
  }

  @Test(arguments: [
    ("TERM=xterm-256color LANG=C.UTF-8", true),
    ("TERM=screen-256color LANG=C.UTF-8", true),
    ("TERM=xterm LANG=C.UTF-8", true),
    ("TERM=linux LANG=C.UTF-8", true),
    ("TERM=vt100 LANG=C.UTF-8", true),
    ("TERM=xterm-256color LANG=C LC_ALL=C", false),
    ("TERM=xterm-256color LANG=C.UTF-8 NO_COLOR=1", true),
  ])
  func terminalsAndLocales(env: String, utf8: Bool) throws {
    let root = try Self.twoRuns()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let tmux = try Tmux(width: 120, height: 40)
    defer { tmux.kill() }
    try tmux.type(try Self.command(root, env: env))
    let screen = try tmux.waitFor("dashboard up with \(env), both runs read") {
      $0.contains("dpo-b0.1") && Self.bothRunsRead($0)
    }
    // Braille only where the locale is UTF-8; plain ASCII otherwise.
    #expect(Self.containsBraille(screen) == utf8, "\(env):\n\(screen)")
    if !utf8 { #expect(screen.unicodeScalars.allSatisfy { $0.isASCII }, "\(screen)") }
    // Colour exactly where the terminal has it and NO_COLOR is not set.
    let colour = !env.contains("NO_COLOR") && !env.contains("vt100")
    #expect(Tmux.usesColour(try tmux.screenWithEscapes()) == colour, "\(env)")
    try tmux.send("q")
    let (status, after) = try Self.waitForExit(tmux)
    #expect(status == 0, "\(env): \(after)")
    try Self.expectSaneTTY(tmux)
  }

  /// Child pids of `pid` (Linux /proc).
  static func children(of pid: Int32) -> [Int32] {
    let text = readTextFile("/proc/\(pid)/task/\(pid)/children") ?? ""
    return text.split(separator: " ").compactMap { Int32($0) }
  }
}

/// Wide characters and hostile run names on the real screen.
@Suite(.serialized) struct WideAndHostileTextEndToEndTests {
  /// Display columns of `line` as tmux lays it out (CJK and fullwidth count 2).
  static func columns(_ line: Substring) -> Int {
    line.unicodeScalars.reduce(0) { n, s in
      let v = s.value
      if (0x300...0x36F).contains(v) { return n }
      let wide =
        (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v)
        || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v)
        || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || v >= 0x20000
      return n + (wide ? 2 : 1)
    }
  }

  @Test func wideNamesKeepTheGridAligned() throws {
    let root = try Fixtures.tempDir("e2e-wide")
    defer { try? FileManager.default.removeItem(atPath: root) }
    try Fixtures.writeRun(root: root, name: "実験-dpo", objective: "dpo", beta: 0.1, steps: 50)
    try Fixtures.writeRun(root: root, name: "ｗｉｄｅ-run", objective: "dpop", beta: 0.3, steps: 50)
    let evil = try Fixtures.writeRun(
      root: root, name: "evil", objective: "dpo", beta: 1, steps: 50)
    var m = try evil.readManifest()
    m.name = "evil\u{1B}[2J\u{07}\u{202E}x"
    try evil.writeManifest(m)
    let tmux = try Tmux(width: 120, height: 40)
    defer { tmux.kill() }
    try tmux.type(try DashboardEndToEndTests.command(root))
    let screen = try tmux.waitFor("the wide names") {
      $0.contains("実験-dpo") && $0.contains("ｗｉｄｅ") && $0.contains("LIVE")
    }
    // Every row is exactly 120 columns: nothing shifted by a wide character
    // or by an escape sequence from a run name.
    let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).prefix(40)
    for (i, row) in rows.enumerated() where !row.isEmpty && i < 39 {
      #expect(Self.columns(row) == 120, "row \(i) is \(Self.columns(row)) columns: \(row)")
    }
    #expect(
      !screen.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E }
    )
    try tmux.send("q")
    let (status, _) = try DashboardEndToEndTests.waitForExit(tmux)
    #expect(status == 0)
  }
}

import Foundation
import RunLog
import Testing

/// A private tmux server (its own socket) with one session, for driving the
/// real `dpotop` binary as a person would: type keys, read the screen.
final class Tmux {
  let socket: String
  let session = "e2e"
  /// The shell's `XDG_STATE_HOME`: each test's dashboard saves its view
  /// here, never reading a user's (or another test's) saved view.
  let stateHome: String
  static let path = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }

  /// Starts a `sh` in a `width × height` window with a plain prompt.
  init(width: Int = 120, height: Int = 40) throws {
    guard Self.path != nil else {
      throw E2EError(
        "tmux is not installed: the end-to-end tests need it (apt-get install tmux; CI installs it)"
      )
    }
    socket = "dpotop-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
    stateHome =
      FileManager.default.temporaryDirectory.appendingPathComponent(socket + "-state").path
    try run([
      "new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-s", session,
      "env -i PATH=/usr/bin:/bin HOME=/tmp XDG_STATE_HOME=\(stateHome) PS1='$ ' TERM=xterm-256color "
        + "LANG=C.UTF-8 sh",
    ])
    // Keep the pane (and its screen) when the shell exits, and never resize
    // the window to a client's size: there is no client.
    try? run(["set-option", "-t", session, "remain-on-exit", "on"])
    try? run(["set-option", "-g", "window-size", "manual"])
    try waitFor("shell prompt") { $0.contains("$") }
  }

  deinit { kill() }

  /// Stops the tmux server and everything in it (idempotent).
  func kill() {
    guard !killed else { return }
    killed = true
    _ = try? run(["kill-server"])
    try? FileManager.default.removeItem(atPath: stateHome)
  }

  private var killed = false

  /// Runs `tmux -L socket ARGS...`; returns its stdout.
  ///
  /// posix_spawn + waitpid rather than Foundation's Process, whose exit
  /// monitoring hung here when the tmux server it started kept running.
  @discardableResult
  func run(_ args: [String]) throws -> String {
    let outPath = FileManager.default.temporaryDirectory
      .appendingPathComponent("dpotop-tmux-\(getpid())-\(UUID().uuidString.prefix(8))").path
    defer { unlink(outPath) }
    let argv = [Self.path ?? "/usr/bin/tmux", "-L", socket, "-f", "/dev/null"] + args
    // The test runner's threads block most signals, and a spawned process
    // inherits that mask: a tmux server started so would never see SIGCHLD
    // or SIGTERM and would outlive the test. `spawn` unblocks them.
    let status = Fixtures.waitExit(try Fixtures.spawn(argv, log: outPath))
    let text = readTextFile(outPath) ?? ""
    guard status == 0 else {
      throw E2EError("tmux \(args.joined(separator: " ")) failed (\(status)): \(text)")
    }
    return text
  }

  /// Types `keys` (tmux key names such as `Enter`, `Space`, `End`, or literal text with `-l`).
  func send(_ keys: String...) throws { try run(["send-keys", "-t", session] + keys) }

  /// Types `text` literally, then Enter.
  func type(_ text: String) throws {
    try run(["send-keys", "-t", session, "-l", text])
    try run(["send-keys", "-t", session, "Enter"])
  }

  /// The visible screen as text (rows joined by newlines).
  func screen() throws -> String { try run(["capture-pane", "-p", "-t", session]) }

  /// The visible screen with its attributes as SGR escape sequences.
  func screenWithEscapes() throws -> String {
    try run(["capture-pane", "-p", "-e", "-t", session])
  }

  /// Whether any SGR sequence in `escaped` sets a colour (foreground or background).
  static func usesColour(_ escaped: String) -> Bool {
    var rest = Substring(escaped)
    while let start = rest.range(of: "\u{1B}[") {
      let params = rest[start.upperBound...].prefix { $0.isNumber || $0 == ";" }
      rest = rest[start.upperBound...].dropFirst(params.count)
      guard rest.first == "m" else { continue }
      for p in params.split(separator: ";").compactMap({ Int($0) }) {
        if (30...38).contains(p) || (40...48).contains(p) || (90...97).contains(p)
          || (100...107).contains(p)
        {
          return true
        }
      }
    }
    return false
  }

  /// Resizes the window.
  func resize(width: Int, height: Int) throws {
    try run(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"])
  }

  /// The pid of the process running in the pane (the shell).
  func panePID() throws -> Int32 {
    let text = try run(["list-panes", "-t", session, "-F", "#{pane_pid}"])
    guard let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
      throw E2EError("no pane pid in '\(text)'")
    }
    return pid
  }

  /// Polls the screen until `ok` holds; throws with the last screen when it never does.
  @discardableResult
  func waitFor(_ what: String, timeout: Double = Deadline.screen, _ ok: (String) -> Bool) throws
    -> String
  {
    let deadline = Date().addingTimeInterval(timeout)
    var last = ""
    while Date() < deadline {
      last = try screen()
      if ok(last) { return last }
      Thread.sleep(forTimeInterval: 0.05)
    }
    throw E2EError("timed out after \(Int(timeout)) s waiting for \(what); screen was:\n\(last)")
  }
}

/// An end-to-end failure, with what was on screen.
struct E2EError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

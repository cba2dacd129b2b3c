import Foundation
import Processes
import RunLog
import Sweeps

/// `dpotop-bench tail --screen`: append → on screen, end to end. The real
/// dashboard runs in a tmux pane on a fresh run directory; after each
/// append the bench captures the pane until the runs pane shows the new
/// step. This includes everything a user waits for: the watcher, the
/// update, the render and the terminal write.
enum TailScreen {
  /// What was measured, in seconds.
  struct Result {
    /// Write → step visible in the pane (an upper bound), per record seen.
    var latencies: [Double]
    /// How long one `tmux capture-pane` took (the measurement's resolution).
    var captures: [Double]
    /// Records that never showed within the timeout.
    var missed: Int
  }

  /// The step text the runs pane shows is "57/9999": no other text on the
  /// screen has that shape (the pane abbreviates 10 000 and more as "10k").
  static let planned = 9_999

  /// `remote`: the dashboard watches the run as `host:PATH` through `ssh`
  /// (a host that reaches this machine's files, such as 127.0.0.1).
  static func measure(
    records: Int, gapMs: Int, executable: String, remote: (host: String, ssh: String)? = nil
  ) throws -> Result {
    guard
      let tmux = ["/usr/bin/tmux", "/usr/local/bin/tmux"].first(where: {
        FileManager.default.isExecutableFile(atPath: $0)
      })
    else {
      throw BenchError("tmux is not installed (apt-get install tmux)")
    }
    let benchRun = try TailBench.BenchRun(tag: "screen", plannedSteps: planned)
    defer { benchRun.remove() }
    let (base, writer) = (benchRun.base, benchRun.writer)

    let session = "dpotop-bench-\(getpid())"
    var command = "LANG=C.UTF-8 TERM=xterm-256color '\(executable)' '\(base.path)'"
    if let remote {
      func quoted(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
      }
      command =
        "LANG=C.UTF-8 TERM=xterm-256color \(quoted(executable)) watch"
        + " \(quoted(remote.host + ":" + base.path)) --ssh \(quoted(remote.ssh))"
    }
    try run(tmux, ["new-session", "-d", "-s", session, "-x", "120", "-y", "40", command])
    defer { _ = try? run(tmux, ["kill-session", "-t", session]) }

    var result = Result(latencies: [], captures: [], missed: 0)
    // The dashboard is up when the run's row is drawn.
    guard records < planned else {
      throw BenchError("--screen times at most \(planned - 1) records")
    }
    guard waitFor(tmux, session, "-/\(planned)", timeout: 15, &result) != nil else {
      throw BenchError("the dashboard did not show the run within 15 s")
    }
    result.captures = []
    var rng = SystemRandomNumberGenerator()
    for step in 1...records {
      try writer.append(TailBench.record(step))
      let wrote = monotonicSeconds()
      let patience = remote == nil ? 2.0 : 5.0
      if let seen = waitFor(tmux, session, " \(step)/\(planned) ", timeout: patience, &result) {
        result.latencies.append(seen - wrote)
      } else {
        result.missed += 1
      }
      let gap = Double(gapMs) / 1000 * Double.random(in: 0.5...1.5, using: &rng)
      let rest = wrote + gap - monotonicSeconds()
      if rest > 0 { Thread.sleep(forTimeInterval: rest) }
    }
    return result
  }

  /// Captures the pane until it contains `text`; the time it was first seen.
  private static func waitFor(
    _ tmux: String, _ session: String, _ text: String, timeout: Double, _ result: inout Result
  ) -> Double? {
    let deadline = monotonicSeconds() + timeout
    while monotonicSeconds() < deadline {
      let a = monotonicSeconds()
      let screen = (try? run(tmux, ["capture-pane", "-p", "-t", session], capture: true)) ?? ""
      let b = monotonicSeconds()
      result.captures.append(b - a)
      // The text was on screen by the time the capture returned: counting
      // that moment makes each latency an upper bound, loose by at most one
      // capture (reported beside it).
      if screen.contains(text) { return b }
    }
    return nil
  }

  /// Runs a program and returns its standard output (`capture`), or nothing.
  ///
  /// Through `ProcessLauncher` (posix_spawn) rather than Foundation's
  /// `Process`, which spends ~50 ms per launch here: a capture must be quick,
  /// since its duration bounds what this bench can resolve. Output goes to a
  /// file, not a pipe: `tmux new-session` may start the tmux server, which
  /// inherits the output and keeps it open while it runs.
  @discardableResult
  private static func run(_ path: String, _ args: [String], capture: Bool = false) throws
    -> String
  {
    let out = capture ? NSTemporaryDirectory() + "dpotop-capture-\(getpid())" : "/dev/null"
    if capture { unlink(out) }
    defer { if capture { unlink(out) } }
    let pid = try ProcessLauncher.spawn([path] + args, logPath: out, mode: .child)
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return capture ? readTextFile(out) ?? "" : ""
  }
}

/// A benchmark that cannot run here, and why.
struct BenchError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

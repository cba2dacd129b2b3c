import Dashboard
import Foundation
import Live
import RunLog

/// The dashboard's side of `dpotop-bench logdir`: the app loop without a
/// terminal, in a child process of the bench (so its peak memory is its
/// own): Live's `RunWatcher` sending to an inbox the loop drains, `update`,
/// `render` of every changed state at 120x40, and the charted runs named to
/// the watcher first, as `App` does.
///
/// The first screen is the moment every run is listed and every charted run
/// (the cursor's row: a sweep's header charts its runs) holds all its records.
enum LogdirDashboard {
  /// The hidden first argument that makes `dpotop-bench logdir` the child.
  static let childFlag = "--dashboard-child"

  struct Measured {
    var first: Timed
    var all: Timed
    /// What was lost, if anything.
    var problem: String?
  }

  /// Runs the child on `root` and reads what it printed.
  static func measure(_ bench: String, root: String, runs: Int, records: Int?) -> Result<
    Measured, BenchError
  > {
    let t = Timed.spawn(
      [bench, "logdir", childFlag, root, "\(runs)", "\(records ?? -1)"], keepOutput: true)
    let f = (t.output ?? "").split(whereSeparator: \.isWhitespace)
    guard t.seconds.isFinite, f.count == 4, let first = Double(f[0]), let all = Double(f[1]),
      let listed = Int(f[2]), let counted = Int(f[3])
    else {
      return .failure(BenchError("the dashboard child printed: \(t.output ?? "nothing")"))
    }
    var problem: String?
    if listed != runs || (records != nil && counted != records) {
      problem =
        "listed \(listed) runs, \(counted) records; expected \(runs)"
        + (records.map { ", \($0)" } ?? "")
    }
    return .success(
      Measured(
        first: Timed(seconds: first, peak: t.peak), all: Timed(seconds: all, peak: t.peak),
        problem: problem))
  }

  /// The child: ROOT RUNS RECORDS (-1: unknown). Prints "FIRST ALL LISTED RECORDS".
  static func child(_ args: [String]) -> Int32 {
    guard args.count == 3, let runs = Int(args[1]), let records = Int(args[2]) else {
      fail("usage: dpotop-bench logdir \(childFlag) ROOT RUNS RECORDS")
    }
    let inbox = BenchInbox()
    var state = DashboardState(config: DashboardConfig(width: 120, height: 40, roots: args[0]))
    let t0 = monotonicSeconds()
    let watcher = RunWatcher(roots: [args[0]]) { msgs in
      inbox.send(msgs)
      inbox.waitUntilDrained()
    }
    watcher.start()
    defer { watcher.stop() }
    var first: Double?
    var charted: [String] = []
    var sink = 0
    let deadline = t0 + 600
    while monotonicSeconds() < deadline {
      let msgs = inbox.drain(timeout: 0.05)
      for msg in msgs { _ = update(&state, msg) }
      guard !msgs.isEmpty else { continue }
      sink &+= render(state).cells.count
      let now = state.chartRuns.map(\.id)
      if now != charted {
        watcher.prioritize(now)
        charted = now
      }
      let read = state.runs.reduce(0) { $0 + $1.data.recordCount }
      if first == nil, state.runs.count == runs, !state.chartRuns.isEmpty,
        state.chartRuns.allSatisfy({ complete($0, records: records, runs: runs) })
      {
        first = monotonicSeconds() - t0
      }
      if let first, state.runs.allSatisfy({ complete($0, records: records, runs: runs) }) {
        let all = monotonicSeconds() - t0
        print(String(format: "%.4f %.4f %d %d", first, all, state.runs.count, read))
        if sink == 42 { print("") }  // keeps the renders from being optimised away
        return 0
      }
    }
    print("timeout")
    return 1
  }

  /// A run holding all its records (known: RECORDS / RUNS each; unknown: its file read whole).
  private static func complete(_ run: RunEntry, records: Int, runs: Int) -> Bool {
    guard records >= 0 else { return run.data.recordCount > 0 }
    return run.data.recordCount == records / runs
  }
}

/// The app's inbox, as `dpotop`'s `Inbox` (a locked queue the watcher waits
/// on until the loop took its batch), with a timed wait instead of a wake pipe.
private final class BenchInbox: @unchecked Sendable {
  // @unchecked: `items` only under `lock`.
  private let lock = NSCondition()
  private var items: [Msg] = []

  func send(_ msgs: [Msg]) {
    lock.withLock {
      items += msgs
      lock.broadcast()
    }
  }

  func waitUntilDrained() {
    lock.withLock { while !items.isEmpty { lock.wait() } }
  }

  func drain(timeout: Double) -> [Msg] {
    lock.withLock {
      if items.isEmpty { _ = lock.wait(until: Date(timeIntervalSinceNow: timeout)) }
      let out = items
      items = []
      lock.broadcast()
      return out
    }
  }
}

import Dashboard
import Foundation
import RunFixtures
import RunLog
import Testing

@testable import Live

/// The run watcher through its real thread: what it reports, and only once.
@Suite struct RunWatcherTests {
  /// Collects the watcher's messages (from its thread) under a lock.
  final class Collector: @unchecked Sendable {
    private let lock = NSLock()
    private var msgs: [Msg] = []
    func add(_ m: [Msg]) { lock.withLock { msgs += m } }
    var all: [Msg] { lock.withLock { msgs } }

    /// Waits until `ok` holds for the messages so far (up to `timeout` s);
    /// false when it never did, for `#expect` to report.
    func wait(_ timeout: Double = Deadline.screen, _ ok: ([Msg]) -> Bool) -> Bool {
      (try? waitUntil("the watcher's messages", timeout: timeout) { ok(all) }) != nil
    }
  }

  static func metricSteps(_ msgs: [Msg], _ id: String) -> [Int] {
    msgs.flatMap { m -> [Int] in
      guard case .metrics(let mid, let delta, _, _, _) = m, mid == id else { return [] }
      return delta.series("loss")?.steps ?? []
    }
  }

  @Test func reportsRunsDeltasLivenessErrorsAndRemovals() throws {
    let root = try Fixtures.tempDir("watcher")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let a = try Fixtures.writeRun(
      root: root, name: "a", objective: "dpo", beta: 0.1, steps: 30, status: .running,
      pid: getpid())
    let b = try Fixtures.writeRun(
      root: root, name: "b", objective: "dpop", beta: 0.3, steps: 10, status: .running,
      pid: Int32.max)  // no such process: "stopped"
    let got = Collector()
    let watcher = RunWatcher(roots: [root], interval: 0.02, discoveryInterval: 0.1) { got.add($0) }
    watcher.start()
    defer { watcher.stop() }

    // Both runs, with everything they hold, and their liveness.
    #expect(
      got.wait {
        Self.metricSteps($0, a.path).count == 30 && Self.metricSteps($0, b.path).count == 10
      })
    #expect(
      got.wait { msgs in
        msgs.contains { if case .liveness(a.path, true) = $0 { true } else { false } }
      })
    #expect(
      got.wait { msgs in
        msgs.contains { if case .liveness(b.path, false) = $0 { true } else { false } }
      })
    let updates = got.all.filter { if case .runUpdated = $0 { true } else { false } }
    #expect(updates.count == 2)

    // Appends arrive as deltas: only the new steps, each once.
    let writer = try MetricsWriter(path: a.metricsPath)
    for step in 31...35 { try writer.append(Fixtures.record(step: step, beta: 0.1, drift: 0)) }
    #expect(got.wait { Self.metricSteps($0, a.path).count == 35 })
    Thread.sleep(forTimeInterval: 0.1)
    #expect(Self.metricSteps(got.all, a.path) == Array(1...35))

    // A manifest change is reported (once).
    var m = try a.readManifest()
    m.status = .finished
    try a.writeManifest(m)
    #expect(
      got.wait { msgs in
        msgs.contains {
          if case .runUpdated(a.path, _, let mf) = $0 { mf.status == .finished } else { false }
        }
      })

    // A metrics file replaced by a directory: an error, not a crash.
    try FileManager.default.removeItem(atPath: b.metricsPath)
    try FileManager.default.createDirectory(
      atPath: b.metricsPath, withIntermediateDirectories: false)
    #expect(
      got.wait { msgs in msgs.contains { if case .runError(b.path, _) = $0 { true } else { false } }
      })

    // A deleted run is removed; a new run appears.
    try FileManager.default.removeItem(atPath: b.path)
    let c = try Fixtures.writeRun(root: root, name: "c", objective: "dpo", beta: 1, steps: 3)
    #expect(
      got.wait { msgs in msgs.contains { if case .runRemoved(b.path) = $0 { true } else { false } }
      })
    #expect(got.wait { Self.metricSteps($0, c.path).count == 3 })
  }

  @Test func aBigRunArrivesInSlicesThatAddUpToTheWholeFile() throws {
    let root = try Fixtures.tempDir("watcher-slices")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let run = try Fixtures.writeRun(
      root: root, name: "big", objective: "dpo", beta: 0.1, steps: 400, status: .finished,
      pid: nil)
    let got = Collector()
    let watcher = RunWatcher(roots: [root], interval: 0.02, sliceBytes: 4096) { got.add($0) }
    watcher.start()
    defer { watcher.stop() }
    #expect(got.wait { Self.metricSteps($0, run.path).count == 400 })
    let deltas = got.all.filter { if case .metrics = $0 { true } else { false } }
    // About 300 bytes a record: 400 records are far more than one 4 KB slice.
    #expect(deltas.count >= 10, "\(deltas.count) deltas")
    #expect(Self.metricSteps(got.all, run.path) == Array(1...400))
  }

  @Test func stopsPromptly() {
    let watcher = RunWatcher(roots: ["/nonexistent-\(getpid())"], interval: 5) { _ in }
    watcher.start()
    Thread.sleep(forTimeInterval: 0.05)
    let start = Date()
    watcher.stop()
    // Well under the 5 s poll interval it would wait if stop() did not wake
    // it (not a speed limit: a busy machine may take a second or two).
    #expect(Date().timeIntervalSince(start) < 4)
  }
}

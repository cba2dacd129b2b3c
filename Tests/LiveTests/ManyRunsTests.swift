import Dashboard
import Foundation
import RunFixtures
import RunLog
import Testing

@testable import Live

/// A folder of many runs (issue 28, "a 1000-run folder at once", at test
/// size): every run listed, every record counted, whichever way it is read
/// (the watcher, `render`'s parallel read, `summary`'s), and the summary's
/// numbers equal to a computation of their own from the records written.
@Suite struct ManyRunsTests {
  static let runs = 36
  static let steps = 40

  /// `runs` runs in 3 sweep directories; run r logs `steps` records with drift -0.001·r.
  static func folder(_ tag: String) throws -> (root: String, ids: [String]) {
    let root = try Fixtures.tempDir(tag)
    var ids: [String] = []
    for r in 0..<runs {
      let dir = try Fixtures.writeRun(
        root: root + "/sweep-\(r % 3)", name: String(format: "run-%03d", r),
        objective: r % 2 == 0 ? "dpo" : "dpop", beta: [0.1, 0.3, 1.0][r % 3], steps: steps,
        drift: -0.001 * Double(r))
      ids.append(dir.path)
    }
    return (root, ids.sorted())
  }

  static func loss(_ msgs: [Msg], _ id: String) -> [Int] {
    msgs.flatMap { m -> [Int] in
      guard case .metrics(let mid, let delta, _, _, _) = m, mid == id else { return [] }
      return delta.series("loss")?.steps ?? []
    }
  }

  static func records(_ msgs: [Msg]) -> Int {
    msgs.reduce(0) { n, m in
      guard case .metrics(_, let delta, _, _, _) = m else { return n }
      return n + delta.recordCount
    }
  }

  @Test func theWatcherListsEveryRunBeforeReadingAnyMetricsAndLosesNothing() throws {
    let (root, ids) = try Self.folder("many-watch")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let got = RunWatcherTests.Collector()
    let watcher = RunWatcher(roots: [root], interval: 0.02) { got.add($0) }
    // The charted run is read first, wherever it is in the list.
    let charted = ids[ids.count - 5]
    watcher.prioritize([charted])
    watcher.start()
    defer { watcher.stop() }
    #expect(got.wait { Self.records($0) == Self.runs * Self.steps })
    let msgs = got.all
    let listed = msgs.enumerated().compactMap { i, m -> (Int, String)? in
      guard case .runUpdated(let id, _, _) = m else { return nil }
      return (i, id)
    }
    let firstMetrics = try #require(
      msgs.firstIndex {
        if case .metrics = $0 { return true }
        return false
      })
    #expect(Set(listed.map(\.1)) == Set(ids), "every run listed")
    #expect(listed.allSatisfy { $0.0 < firstMetrics }, "all listed before any metrics")
    guard case .metrics(let firstID, _, _, _, _) = msgs[firstMetrics] else { return }
    #expect(firstID == charted)
    for id in ids { #expect(Self.loss(msgs, id) == Array(1...Self.steps), "\(id)") }
  }

  @Test func renderReadsEveryRunOnEveryCoreInOrder() throws {
    let (root, ids) = try Self.folder("many-render")
    defer { try? FileManager.default.removeItem(atPath: root) }
    var order: [String] = []
    var all: [Msg] = []
    RunPoller.readAll(RunDiscovery.sources(under: root)) { msgs in
      if case .runUpdated(let id, _, _)? = msgs.first { order.append(id) }
      all += msgs
    }
    #expect(order == ids)
    #expect(Self.records(all) == Self.runs * Self.steps)
    for id in ids { #expect(Self.loss(all, id) == Array(1...Self.steps), "\(id)") }
  }

  @Test func summaryOfEveryRunEqualsItsOwnComputation() throws {
    let (root, ids) = try Self.folder("many-summary")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let rows = try LoadedRun.loadAll(under: root) { RunSummary($0.run) }
    #expect(rows.map(\.run.path) == ids)
    #expect(rows.reduce(0) { $0 + $1.run.store.recordCount } == Self.runs * Self.steps)
    for summary in rows {
      let r = Int(summary.run.path.suffix(3))!
      let written = (1...Self.steps).map {
        Fixtures.record(step: $0, beta: [0.1, 0.3, 1.0][r % 3], drift: -0.001 * Double(r))
      }
      for key in ["loss", "logps/chosen", "rewards/margins"] {
        let values = written.map { $0[key]! }
        let row = try #require(summary.rows.first { $0.key == key && $0.split == .train })
        #expect(row.count == Self.steps)
        #expect(row.firstStep == 1 && row.lastStep == Self.steps)
        #expect(row.last == values.last)
        #expect(row.min == values.min() && row.max == values.max(), "\(summary.run.path) \(key)")
      }
    }
  }

  @Test func orderedParallelDeliversEveryItemInOrder() {
    var seen: [Int] = []
    OrderedParallel.forEach(1000, window: 7) {
      $0 * $0
    } deliver: { i, square in
      #expect(square == i * i)
      seen.append(i)
    }
    #expect(seen == Array(0..<1000))
  }
}

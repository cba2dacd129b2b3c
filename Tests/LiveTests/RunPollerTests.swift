import Dashboard
import Foundation
import RunLog
import Testing

@testable import Live

/// One run's poller without the watcher's thread: what a poll reports, and
/// that a second poll of unchanged files reports nothing.
@Suite struct RunPollerTests {
  @Test func aRunReadWholeIsItsManifestThenItsMetrics() throws {
    let root = try Fixtures.tempDir("poller")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let run = try Fixtures.writeRun(root: root, name: "a", objective: "dpo", beta: 0.1, steps: 5)
    let source = try #require(RunDiscovery.sources(under: run.path).first)
    let poller = RunPoller(source: source)
    let msgs = poller.readAll()
    guard msgs.count == 2, case .runUpdated(let id, _, let manifest) = msgs[0],
      case .metrics(_, let delta, _, _, _) = msgs[1]
    else {
      Issue.record("\(msgs)")
      return
    }
    #expect(id == run.path)
    #expect(manifest.beta == 0.1)
    #expect(delta.series("loss")?.steps == [1, 2, 3, 4, 5])
    var again: [Msg] = []
    #expect(!poller.poll(checkLiveness: false, into: &again))
    #expect(again.isEmpty, "unchanged files report nothing")
  }

  @Test func anUnreadableManifestIsOneErrorUntilItChanges() throws {
    let root = try Fixtures.tempDir("poller-bad")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let run = try Fixtures.writeRun(root: root, name: "b", objective: "dpo", beta: 0.1, steps: 2)
    let source = try #require(RunDiscovery.sources(under: run.path).first)
    try "{ not json".write(toFile: run.manifestPath, atomically: true, encoding: .utf8)
    let poller = RunPoller(source: source)
    var msgs: [Msg] = []
    poller.poll(checkLiveness: true, into: &msgs)
    poller.poll(checkLiveness: true, into: &msgs)
    let errors = msgs.filter { if case .runError = $0 { true } else { false } }
    #expect(errors.count == 1, "\(msgs)")
  }

  @Test func aRunningRunWhosePidIsGoneIsReportedNotAlive() throws {
    let root = try Fixtures.tempDir("poller-pid")
    defer { try? FileManager.default.removeItem(atPath: root) }
    // Pid 0 is never a trainer: processExists says no without signalling.
    let run = try Fixtures.writeRun(
      root: root, name: "c", objective: "dpo", beta: 0.1, steps: 1, status: .running, pid: 0)
    let source = try #require(RunDiscovery.sources(under: run.path).first)
    var msgs: [Msg] = []
    RunPoller(source: source).poll(checkLiveness: true, into: &msgs)
    #expect(Self.liveness(msgs) == [false])
    var remote: [Msg] = []
    RunPoller(source: source, remote: true).poll(checkLiveness: true, into: &remote)
    #expect(Self.liveness(remote) == [nil], "a remote pid is not checked")
  }

  /// The liveness reports among `msgs`.
  static func liveness(_ msgs: [Msg]) -> [Bool?] {
    msgs.compactMap { if case .liveness(_, let alive) = $0 { .some(alive) } else { nil } }
  }
}

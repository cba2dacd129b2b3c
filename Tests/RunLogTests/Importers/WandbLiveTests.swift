import Foundation
import Processes
import Testing

@testable import RunLog

/// The real `wandb` package, run offline (no network) by
/// Fixtures/make_wandb_run.py, run by the peers' interpreter
/// (`PeerPython`: `$DPOTOP_PYTHON`, else the venv of scripts/peer-venv.sh,
/// else `python3`).
enum WandbPeer {
  static var python: String { PeerPython.executable }

  /// True when `python` can import wandb (checked once).
  static let available: Bool = {
    guard let pid = try? spawn(["-c", "import wandb"], log: "/dev/null") else { return false }
    return wait(pid) == 0
  }()

  static let skipReason = Comment(
    rawValue: "SKIPPED: the real wandb package is not importable by \(python); install it with: "
      + "bash scripts/peer-venv.sh wandb (or set DPOTOP_PYTHON)")

  static var script: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/make_wandb_run.py").path
  }

  static func spawn(_ args: [String], log: String) throws -> pid_t {
    try ProcessLauncher.spawn([python] + args, logPath: log, mode: .child)
  }

  /// Waits for `pid`; its exit status (or 128 + signal).
  static func wait(_ pid: pid_t) -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
  }

  /// A run id W&B accepts (8 lowercase letters and digits), fresh per test.
  static func runID() -> String {
    String(UUID().uuidString.lowercased().filter { $0.isLetter || $0.isNumber }.prefix(8))
  }
}

@Suite(.serialized) struct WandbLiveTests {
  @Test(.enabled(if: WandbPeer.available, WandbPeer.skipReason))
  func realPackageTRLRunWithConfigAnd150Steps() throws {
    let dir = Fixture.tempDir()
    let log = dir + "/writer.log"
    let pid = try WandbPeer.spawn(
      [WandbPeer.script, dir, "--steps", "150", "--name", "live-dpo", "--id", WandbPeer.runID()],
      log: log)
    let status = WandbPeer.wait(pid)
    #expect(
      status == 0, "writer failed: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
    // Found under the output directory once, not again through wandb/latest-run.
    let found = RunDiscovery.sources(under: dir)
    #expect(found.count == 1)
    let source = try #require(found.first as? WandbRunSource)
    #expect(!source.id.hasSuffix("latest-run"))
    var store = SeriesStore()
    try source.poll(into: &store)
    #expect(source.badCount == 0)
    WandbFixture.check(store, steps: 150)
    let m = try source.manifest()
    #expect(m.name == "live-dpo")
    #expect(m.beta == 0.1)
    #expect(m.objective == "dpo")
    #expect(m.learningRate == 5e-7)
    #expect(m.plannedSteps == 150)
    #expect(m.status == .finished)
    // summary / render load it whole the same way.
    let (loaded, notes) = try LoadedRun.loadAny(dir + "/wandb/latest-run")
    #expect(loaded.store.series("rewards/chosen")?.count == 150)
    #expect(notes == [DerivedSeries.note(beta: 0.1)])
  }

  @Test(.enabled(if: WandbPeer.available, WandbPeer.skipReason))
  func newStepsAppearWhileTheWriterLogs() throws {
    let dir = Fixture.tempDir()
    let log = dir + "/writer.log"
    let steps = 400
    let pid = try WandbPeer.spawn(
      [WandbPeer.script, dir, "--steps", "\(steps)", "--delay", "0.01", "--id", WandbPeer.runID()],
      log: log)
    var source: WandbRunSource?
    var store = SeriesStore()
    var seen: [Int] = []  // loss points after each poll that changed something
    var exited = false
    let deadline = Date().addingTimeInterval(120)
    while !exited, Date() < deadline {
      var status: Int32 = 0
      exited = waitpid(pid, &status, WNOHANG) == pid
      if source == nil { source = RunDiscovery.sources(under: dir).first as? WandbRunSource }
      if let source {
        try source.poll(into: &store)
        let n = store.series("loss")?.count ?? 0
        if n != seen.last ?? 0 { seen.append(n) }
        // Whatever is there is right: steps 1...n with the writer's values.
        if let loss = store.series("loss") {
          #expect(loss.steps == Array(1...loss.count))
          #expect(loss.values == (1...loss.count).map { WandbFixture.train($0, steps)["loss"]! })
        }
        #expect(source.badCount == 0)
      }
      if !exited { usleep(50_000) }
    }
    if !exited { kill(pid, SIGKILL) }
    _ = WandbPeer.wait(pid)
    #expect(exited, "the writer did not finish in 120 s")
    let source2 = try #require(source)
    try source2.poll(into: &store)
    WandbFixture.check(store, steps: steps)
    // Seen growing while the writer ran: more than one partial count before the end.
    let partial = seen.filter { $0 > 0 && $0 < steps }
    #expect(partial.count >= 2, "loss counts seen while writing: \(seen)")
    #expect(seen == seen.sorted())
  }
}

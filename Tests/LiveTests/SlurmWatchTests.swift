import Dashboard
import Foundation
import RunLog
import Sweeps
import Testing

@testable import Live

/// The app layer's side of Slurm sweeps: the watcher reports job ids from
/// `sweep.json`, and a dashboard launch whose sbatch fails becomes a form
/// message (the cluster itself is exercised by scripts/e2e-slurm.sh).
@Suite struct SlurmWatchTests {
  @Test func theWatcherReportsEachRunsJobIdOnce() throws {
    let root = try Fixtures.tempDir("slurm-watch")
    defer { try? FileManager.default.removeItem(atPath: root) }
    var launch = SweepLaunch(backend: .slurm)
    try launch.set(.out, root + "/s")
    try launch.set(.objectives, "dpo")
    var next = 7000
    let started = try launch.start(executable: "/bin/true", detach: true) { _ throws(SweepError) in
      next += 1
      return .init(status: 0, stdout: "\(next)\n", stderr: "")
    }
    guard case .submitted = started else {
      Issue.record("\(started)")
      return
    }
    let got = RunWatcherTests.Collector()
    let watcher = RunWatcher(roots: [root], interval: 0.02, discoveryInterval: 0.1) { got.add($0) }
    watcher.start()
    defer { watcher.stop() }
    func reports(_ msgs: [Msg]) -> [[String: SlurmJob]] {
      msgs.compactMap { if case .slurmJobs(let jobs) = $0 { jobs } else { nil } }
    }
    #expect(got.wait { !reports($0).isEmpty })
    let first = reports(got.all).first ?? [:]
    // No cluster answers squeue here (or the fake ids are not queued), so
    // the ids show without a queue state.
    #expect(
      first == [
        root + "/s/dpo-b0.1-s1": SlurmJob(id: "7001"),
        root + "/s/dpo-b0.3-s1": SlurmJob(id: "7002"),
        root + "/s/dpo-b1.0-s1": SlurmJob(id: "7003"),
      ])
    Thread.sleep(forTimeInterval: 0.5)
    #expect(reports(got.all).count == 1, "an unchanged sweep is not reported again")
  }

  @Test func aFailedSubmissionFromTheFormIsAMessageNotACrash() throws {
    let root = try Fixtures.tempDir("slurm-launch")
    defer { try? FileManager.default.removeItem(atPath: root) }
    var launch = SweepLaunch(backend: .slurm)
    try launch.set(.out, root + "/s")
    let watcher = RunWatcher(roots: [root]) { _ in }
    let msg = RunControlEffects.launch(launch, watcher: watcher) { argv throws(SweepError) in
      throw SweepError("\(argv[0]): command not found", hint: "is it installed and on PATH?")
    }
    guard case .sweepLaunchFailed(let message) = msg else {
      Issue.record("\(msg)")
      return
    }
    #expect(
      message
        == "sbatch: command not found; 0 of 6 runs were submitted, the rest are marked failed in "
        + root + "/s (is it installed and on PATH?)")
    let again = RunControlEffects.launch(launch, watcher: watcher)
    guard case .sweepLaunchFailed(let second) = again else {
      Issue.record("\(again)")
      return
    }
    #expect(second.hasPrefix("out: \(root)/s already exists; nothing was overwritten"))
  }
}

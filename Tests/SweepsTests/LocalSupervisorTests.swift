import Foundation
import RunLog
import Testing

@testable import Sweeps

/// The supervisor drives real processes; the "trainer" here is a small
/// script standing in for `dpotop train` (a fake inside a unit test; the
/// end-to-end tests use the real trainer).
@Suite(.serialized) struct LocalSupervisorTests {
  /// Marks the run finished (or fails, for β = 1.0), recording how many
  /// trainers ran at once in a shared file.
  static let fakeTrainer = """
    #!/usr/bin/env python3
    import fcntl, json, os, sys, time
    args = sys.argv[1:]
    out = args[args.index("--out") + 1]
    beta = args[args.index("--beta") + 1]
    counter = os.path.join(os.path.dirname(out), "concurrency")
    def bump(d):
        with open(counter, "a+") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            f.seek(0); lines = f.read().split()
            now = (int(lines[-1].split(":")[0]) if lines else 0) + d
            f.write("%d:%d\\n" % (now, max([now] + [int(l.split(":")[1]) for l in lines])))
    bump(1)
    time.sleep(0.3)
    bump(-1)
    if beta == "1.0":
        print("boom: simulated crash"); sys.exit(3)
    p = os.path.join(out, "run.json")
    m = json.load(open(p)); m["status"] = "finished"
    json.dump(m, open(p + ".tmp", "w")); os.rename(p + ".tmp", p)
    """

  @Test func runsEveryRunAtMostJobsAtOnceAndRecordsCrashes() throws {
    let root = try temporaryDirectory()
    let trainer = root + "/fake-trainer"
    try Self.fakeTrainer.write(toFile: trainer, atomically: true, encoding: .utf8)
    chmod(trainer, 0o755)
    var spec = SweepSpec()
    try spec.set(.out, root + "/sweep")
    try spec.set(.jobs, "2")
    let created = try SweepCreator.create(spec)
    #expect(created.runs.count == 6)
    #expect(throws: SweepError.self) { try SweepCreator.create(spec) }  // never overwrites

    var lines: [String] = []
    let supervisor = try LocalSupervisor(dir: spec.out, executable: trainer) { lines.append($0) }
    let status = try supervisor.run()
    #expect(status == 1, "two runs crashed")

    var statuses: [String: RunStatus] = [:]
    for run in created.runs {
      let m = try RunDirectory(path: spec.out + "/" + run.name).readManifest()
      statuses[run.name] = m.status
      if run.beta == 1.0 {
        #expect(m.error?.contains("exited with status 3") == true)
        #expect(m.error?.contains("boom: simulated crash") == true)
      }
    }
    #expect(statuses.values.filter { $0 == .finished }.count == 4)
    #expect(statuses["dpo-b1.0-s1"] == .failed)
    let sweep = try SweepManifest.read(from: spec.out)
    #expect(sweep.status == "finished")
    #expect(sweep.supervisorPid == nil)
    #expect(sweep.runs.allSatisfy { $0.handle?.hasPrefix("pid:") == true })
    let counter = try String(contentsOfFile: spec.out + "/concurrency", encoding: .utf8)
    let maxConcurrent = counter.split(separator: "\n").compactMap {
      Int($0.split(separator: ":")[1])
    }.max()
    // Never more than --jobs at once (how many overlap depends on machine load).
    #expect((1...2).contains(maxConcurrent ?? 0))
    // The first two runs are started before anything is waited for.
    #expect(lines[1].hasPrefix("started dpo-b0.1-s1") && lines[2].hasPrefix("started dpo-b0.3-s1"))
  }

  @Test func aRunCancelledWhileQueuedIsSkipped() throws {
    let root = try temporaryDirectory()
    let trainer = root + "/fake-trainer"
    try Self.fakeTrainer.write(toFile: trainer, atomically: true, encoding: .utf8)
    chmod(trainer, 0o755)
    var spec = SweepSpec()
    try spec.set(.out, root + "/sweep")
    try spec.set(.betas, "0.1,0.3")
    try spec.set(.objectives, "dpop")
    _ = try SweepCreator.create(spec)
    let message = try RunControl.cancel(spec.out + "/dpop-b0.3-s1")
    #expect(message.contains("cancelled (it had not started)"))
    let supervisor = try LocalSupervisor(dir: spec.out, executable: trainer) { _ in }
    _ = try supervisor.run()
    #expect(try RunDirectory(path: spec.out + "/dpop-b0.1-s1").readManifest().status == .finished)
    #expect(try RunDirectory(path: spec.out + "/dpop-b0.3-s1").readManifest().status == .cancelled)
  }
}

@Suite struct LocalSupervisorStartFailureTests {
  /// A program that does not exist fails its runs, not the whole sweep.
  @Test func aRunThatCannotStartFailsAloneWithTheCause() throws {
    let root = try temporaryDirectory()
    var spec = SweepSpec()
    try spec.set(.out, root + "/sweep")
    try spec.set(.objectives, "dpo")
    try spec.set(.betas, "0.1,0.3")
    let command = try CommandTemplate(tokens: ["dpotop-no-such-program-\(getpid())", "{beta}"])
    _ = try SweepCreator.create(spec, backend: "command", command: command)
    let supervisor = try LocalSupervisor(dir: spec.out, executable: "/nonexistent") { _ in }
    #expect(try supervisor.run() == 1)
    for name in ["dpo-b0.1-s1", "dpo-b0.3-s1"] {
      let m = try RunDirectory(path: spec.out + "/" + name).readManifest()
      #expect(m.status == .failed)
      #expect(m.error?.contains("cannot start dpotop-no-such-program") == true)
      #expect(m.trainer == "command")
      #expect(m.dataset == nil, "another trainer's dataset is not known")
    }
    let sweep = try SweepManifest.read(from: spec.out)
    #expect(sweep.status == "finished")
    #expect(sweep.supervisorPid == nil)
  }
}

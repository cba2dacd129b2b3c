import Foundation
import RunFixtures
import RunLog
import Testing
import Training

/// A failed write stops the trainer cleanly (issue 9, "hard stops"): the
/// real `dpotop train` under a file size limit (`ulimit -f`, which needs no
/// privileges) is refused its next checkpoint with EFBIG. The run ends
/// failed with the cause in run.json, the last good checkpoint survives, the
/// metrics stay readable, and `--resume` with room again finishes the run.
/// scripts/disk-full.sh does the same on a real full tmpfs (ENOSPC).
@Suite(.serialized) struct DiskFullTests {
  static let options = [
    "--objective", "dpop", "--beta", "0.3", "--steps", "24", "--checkpoint-every", "2",
    "--eval-every", "12", "--eval-samples", "4", "--threads", "1", "--seed", "7",
  ]

  /// The step a checkpoint file records.
  static func checkpointStep(_ path: String) throws -> Int {
    try Checkpoint.read(from: path).header.step
  }

  @Test func aRefusedCheckpointMarksTheRunFailedAndKeepsTheLastGoodOne() throws {
    let bin = try Fixtures.binary()
    let root = try Fixtures.tempDir("diskfull")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let run = root + "/run"
    let log = root + "/train.log"

    // 1. Train until a few steps are logged, then stop it: a good checkpoint.
    let pid = try Fixtures.spawn([bin, "train", "--out", run] + Self.options, log: log)
    let metrics = run + "/metrics.jsonl"
    // A sanitizer build on a busy machine is slow to start.
    try waitUntil("the run to log five lines", timeout: Deadline.process) {
      (readTextFile(metrics) ?? "").split(separator: "\n").count >= 5
    }
    kill(pid, SIGTERM)
    #expect(Fixtures.waitExit(pid) == 0)
    #expect(try RunDirectory(path: run).readManifest().status == .cancelled)
    let good = try Self.checkpointStep(run + "/checkpoints/latest.ckpt")
    #expect(good >= 1 && good < 24, "checkpoint at step \(good)")

    // 2. Resume where no file may grow past 4000 KiB: the next checkpoint
    //    (4.3 MB with the optimiser state) is refused.
    let limited = [
      "/bin/bash", "-c", "ulimit -f 4000 && exec \"$0\" \"$@\"", bin, "train", "--resume",
      "--out", run, "--checkpoint-every", "2",
    ]
    #expect(Fixtures.waitExit(try Fixtures.spawn(limited, log: log)) == 1)
    let said = readTextFile(log) ?? ""
    #expect(said.contains("latest.ckpt: write failed: File too large"), "\(said.suffix(600))")
    #expect(said.contains("the last good checkpoint is kept (step \(good)"))
    let failed = try RunDirectory(path: run).readManifest()
    #expect(failed.status == .failed)
    #expect(failed.error?.contains("File too large") == true, "\(failed.error ?? "no error")")
    #expect(try Self.checkpointStep(run + "/checkpoints/latest.ckpt") == good)
    // Every complete record reads back; a reader sees each step once.
    let loaded = try LoadedRun.load(run)
    let loss = try #require(loaded.store.series(MetricKey.loss))
    #expect(loss.steps == Array(1...loss.steps.count))
    #expect(loaded.store.recordCount > 0)

    // 3. Room again: the run resumes from that checkpoint and finishes.
    #expect(
      Fixtures.waitExit(try Fixtures.spawn([bin, "train", "--resume", "--out", run], log: log))
        == 0)
    #expect(try RunDirectory(path: run).readManifest().status == .finished)
    let final = try #require(try LoadedRun.load(run).store.series(MetricKey.loss))
    #expect(final.steps == Array(1...24))
  }
}

import Foundation
import RunLog
import Testing

/// Issue 19: a sweep outlives the terminal it was started from, with or
/// without `--detach`. The terminal is a tmux pane; closing it (killing the
/// tmux server, as when an SSH connection drops) hangs up on everything in
/// its foreground process group. Tiny runs with the real trainer: three runs
/// two at a time, so the hang-up lands while two train and one waits.
@Suite(.serialized) struct SweepHangupTests {
  static let runNames = ["dpo-b0.1-s1", "dpo-b0.3-s1", "dpo-b1.0-s1"]

  /// Starts `dpotop sweep ... EXTRA` in a tmux shell, closes the terminal
  /// once a run has logged two steps, and returns the sweep directory once every run has ended.
  static func sweepThenHangUp(_ extra: String) throws -> (dir: String, cleanup: () -> Void) {
    let root = try Fixtures.tempDir("hangup")
    let bin = try Fixtures.binary()
    let tmux = try Tmux(width: 120, height: 30)
    let dir = root + "/sw"
    try tmux.type(
      "cd '\(root)' && '\(bin)' sweep --objectives dpo --betas 0.1,0.3,1.0 --steps 24"
        + " --jobs 2 --out sw \(extra)")
    try SweepEndToEndTests.wait("a run to start", timeout: Deadline.process) {
      runNames.contains { SweepEndToEndTests.status(dir + "/" + $0) == .running }
    }
    // Hang up once a run has trained a few of its 24 steps: on any machine
    // that is while runs train (a fixed pause was too long on a fast CPU and
    // too short on a busy one).
    try SweepEndToEndTests.wait("a run to log two steps", timeout: Deadline.process) {
      runNames.contains { LoadedRunSteps.last(dir + "/" + $0) >= 2 }
    }
    let before = runNames.map { SweepEndToEndTests.status(dir + "/" + $0) }
    #expect(before.contains(.running), "the hang-up must land while runs train: \(before)")
    tmux.kill()
    try SweepEndToEndTests.wait("every run to end", timeout: Deadline.training) {
      runNames.allSatisfy {
        let s = SweepEndToEndTests.status(dir + "/" + $0)
        return s != .running && s != .queued
      }
    }
    return (dir, { try? FileManager.default.removeItem(atPath: root) })
  }

  static func statuses(_ dir: String) -> [RunStatus?] {
    runNames.map { SweepEndToEndTests.status(dir + "/" + $0) }
  }

  @Test func foregroundSweepFinishesEveryRunAfterItsTerminalCloses() throws {
    let (dir, cleanup) = try Self.sweepThenHangUp("")
    defer { cleanup() }
    // Before issue 19 the two trainers running at the hang-up died of
    // SIGHUP ("was killed by signal 1") while the supervisor went on.
    #expect(Self.statuses(dir) == [.finished, .finished, .finished])
    // The supervisor lived on too, and records the sweep's end.
    try SweepEndToEndTests.wait("the sweep to be marked finished", timeout: Deadline.process) {
      (try? String(contentsOfFile: dir + "/sweep.json", encoding: .utf8))?.contains(
        "\"status\" : \"finished\"") ?? false
    }
  }

  @Test func detachedSweepFinishesEveryRunAfterItsTerminalCloses() throws {
    let (dir, cleanup) = try Self.sweepThenHangUp("--detach")
    defer { cleanup() }
    #expect(Self.statuses(dir) == [.finished, .finished, .finished])
  }

  /// A trainer run by hand in a terminal that hangs up stops cleanly
  /// (checkpoint, `cancelled`) and `dpotop resume` takes it to the end.
  @Test func aTrainerStoppedByAHangupResumesToTheEnd() throws {
    let root = try Fixtures.tempDir("hangup-train")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let bin = try Fixtures.binary()
    let tmux = try Tmux(width: 120, height: 30)
    let run = root + "/one"
    try tmux.type("cd '\(root)' && '\(bin)' train --objective dpop --steps 60 --out one")
    try SweepEndToEndTests.wait("the run to log a step", timeout: Deadline.process) {
      LoadedRunSteps.last(run) >= 2
    }
    tmux.kill()
    try SweepEndToEndTests.wait("the run to stop", timeout: Deadline.process) {
      SweepEndToEndTests.status(run) == .cancelled
    }
    #expect(FileManager.default.fileExists(atPath: run + "/checkpoints/latest.ckpt"))
    let stoppedAt = LoadedRunSteps.last(run)
    #expect(stoppedAt < 60)

    let resumed = try Fixtures.spawn([bin, "resume", run], log: root + "/resume.log")
    #expect(Fixtures.waitExit(resumed) == 0)
    try SweepEndToEndTests.wait("the resumed run to finish", timeout: Deadline.training) {
      SweepEndToEndTests.status(run) == .finished
    }
    #expect(LoadedRunSteps.last(run) == 60)
  }
}

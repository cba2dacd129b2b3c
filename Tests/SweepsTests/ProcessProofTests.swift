import Foundation
import Processes
import RunLog
import Testing

@testable import Sweeps

@Suite struct ProcessProofTests {
  @Test func parsesTheFlockHolderFromProcLocks() {
    let text = """
      1: POSIX  ADVISORY  WRITE 99 fd:01:777 0 EOF
      2: FLOCK  ADVISORY  WRITE 4242 fd:01:123456 0 EOF
      2: -> FLOCK  ADVISORY  WRITE 5151 fd:01:123456 0 EOF
      3: FLOCK  ADVISORY  WRITE 17 00:2b:999 0 EOF
      """
    #expect(ProcessProof.lockHolder(inode: 123456, locksText: text) == 4242)
    #expect(ProcessProof.lockHolder(inode: 999, locksText: text) == 17)
    #expect(ProcessProof.lockHolder(inode: 777, locksText: text) == nil)
  }

  @Test func aLockTakenHereIsSeenWithOurPid() throws {
    let dir = try temporaryDirectory()
    let lock = try RunLock.take(dir + "/run.lock")
    #expect(ProcessProof.lockHolder(of: dir + "/run.lock") == getpid())
    #expect(RunLock.isHeld(dir + "/run.lock"))
    #expect(throws: SweepError.self) { try RunLock.take(dir + "/run.lock") }
    withExtendedLifetime(lock) {}
  }

  /// A forged run.json naming an unrelated process: `cancel` must not signal it.
  @Test func cancelNeverSignalsAnUnrelatedProcess() throws {
    let dir = try temporaryDirectory()
    let sleeper = try ProcessLauncher.spawn(
      ["/bin/sleep", "30"], logPath: dir + "/sleep.log", mode: .child)
    defer {
      kill(sleeper, SIGKILL)
      var s: Int32 = 0
      waitpid(sleeper, &s, 0)
    }
    let run = RunDirectory(path: dir + "/forged")
    try run.create()
    var m = RunManifest(id: "x", name: "forged", createdAt: 0, status: .running)
    m.pid = sleeper
    try run.writeManifest(m)
    var message = ""
    do {
      _ = try RunControl.cancel(run.path)
    } catch {
      message = error.description
    }
    #expect(message.contains("not signalled"))
    #expect(message.contains("no process holds"))
    usleep(100_000)
    #expect(kill(sleeper, 0) == 0, "the sleep must survive")
    var status: Int32 = 0
    #expect(waitpid(sleeper, &status, WNOHANG) == 0, "the sleep must not have exited")
  }
}

/// A fresh empty directory under /tmp.
func temporaryDirectory() throws -> String {
  let path = NSTemporaryDirectory() + "dpotop-sweeps-" + UUID().uuidString
  try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}

import Foundation
import RunLog
import Testing

/// Hard stops (issue 9): the real trainer SIGKILLed 20 times at random
/// moments — inside a step, a checkpoint write, the manifest or a metrics
/// line — and resumed each time ends exactly like an uninterrupted run.
@Suite(.serialized) struct KillResumeTests {
  static let options = [
    "--objective", "dpop", "--beta", "0.3", "--steps", "40", "--checkpoint-every", "2",
    "--eval-every", "20", "--eval-samples", "4", "--threads", "1", "--seed", "7",
  ]

  /// Starts `dpotop ARGS` with output to `log`; returns its pid.
  static func start(_ bin: String, _ args: [String], log: String) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attr, &empty)
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK))
    var cArgs = ([bin] + args).map { strdup($0) } + [nil]
    defer { for p in cArgs { free(p) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, bin, &actions, &attr, &cArgs, environ)
    guard rc == 0 else { throw E2EError("cannot start dpotop: \(rc)") }
    return pid
  }

  /// Waits for `pid`; returns its exit status (or 128 + signal).
  static func wait(_ pid: pid_t) -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
  }

  static func finalTrainRecord(_ run: String) throws -> [String: Double] {
    let loaded = try LoadedRun.load(run)
    var out: [String: Double] = [:]
    for key in loaded.store.keys(.train) {
      let s = try #require(loaded.store.series(key, .train))
      // Every step appears once, in order, to a reader.
      #expect(s.steps == Array(1...40), "\(key) steps: \(s.steps)")
      out[key] = s.values.last
    }
    out.removeValue(forKey: MetricKey.tokensPerSecond)
    return out
  }

  @Test func twentyRandomKillsThenResumeEndIdenticalToAnUninterruptedRun() throws {
    let bin = try Fixtures.binary()
    let root = try Fixtures.tempDir("kill")
    defer { try? FileManager.default.removeItem(atPath: root) }

    let clean = root + "/clean"
    #expect(
      Self.wait(
        try Self.start(bin, ["train", "--out", clean] + Self.options, log: root + "/clean.log"))
        == 0)
    let expected = try Self.finalTrainRecord(clean)

    let killed = root + "/killed"
    var rng = SystemRandomNumberGenerator()
    var kills = 0
    var attempts = 0
    var args = ["train", "--out", killed] + Self.options
    while kills < 20 && attempts < 200 {
      attempts += 1
      let pid = try Self.start(bin, args, log: root + "/killed.log")
      usleep(UInt32.random(in: 20_000...400_000, using: &rng))
      var raw: Int32 = 0
      if waitpid(pid, &raw, WNOHANG) == 0 {  // still running: kill it
        kill(pid, SIGKILL)
        kills += 1
        _ = Self.wait(pid)
      }
      // Killed before it even made its directory: that is a fresh start again.
      let started = FileManager.default.fileExists(atPath: killed)
      args = ["train"] + (started ? ["--resume"] : []) + ["--out", killed] + Self.options
      let status = try? RunDirectory(path: killed).readManifest().status
      if status == .finished { args = []; break }
    }
    #expect(kills >= 10, "the run finished before it could be killed often enough")
    if !args.isEmpty {
      #expect(Self.wait(try Self.start(bin, args, log: root + "/killed.log")) == 0)
    }
    #expect(try RunDirectory(path: killed).readManifest().status == .finished)
    let got = try Self.finalTrainRecord(killed)
    #expect(got.keys.sorted() == expected.keys.sorted())
    for (key, value) in expected {
      #expect(got[key] == value, "\(key): \(got[key] ?? .nan) after \(kills) kills vs \(value)")
    }
  }
}

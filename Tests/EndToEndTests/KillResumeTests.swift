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

  static func start(_ bin: String, _ args: [String], log: String) throws -> pid_t {
    try Fixtures.spawn([bin] + args, log: log)
  }

  static func wait(_ pid: pid_t) -> Int32 { Fixtures.waitExit(pid) }

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
      let status = Self.wait(try Self.start(bin, args, log: root + "/killed.log"))
      let log = readTextFile(root + "/killed.log") ?? ""
      let files = (try? FileManager.default.contentsOfDirectory(atPath: killed)) ?? []
      #expect(
        status == 0, "last resume exited \(status); files \(files); log:\n\(log.suffix(1500))")
    }
    #expect(try RunDirectory(path: killed).readManifest().status == .finished)
    let got = try Self.finalTrainRecord(killed)
    #expect(got.keys.sorted() == expected.keys.sorted())
    for (key, value) in expected {
      #expect(got[key] == value, "\(key): \(got[key] ?? .nan) after \(kills) kills vs \(value)")
    }
  }
}

import Foundation
import RunFixtures
import RunLog
import Testing

/// `dpotop resume RUN` (and the dashboard's R) restart a trainer with nothing
/// but `--resume --out RUN`: every option the run was started with must come
/// back from its run.json, or the resumed run warms up, evaluates, samples and
/// checkpoints on the defaults' schedule instead of its own.
@Suite struct ResumeSettingsTests {
  static let options = [
    "--objective", "dpop", "--beta", "0.3", "--steps", "12", "--warmup", "3", "--eval-every", "4",
    "--eval-samples", "2", "--eval-pairs", "8", "--probes", "2", "--best-of", "2",
    "--best-of-prompts", "1", "--checkpoint-every", "3", "--weight-decay", "0.01",
    "--train-rows", "300", "--threads", "1", "--seed", "5",
  ]

  /// Every record of the run, split by split, in file order (the wall-clock
  /// and speed keys left out: they differ between any two runs).
  static func records(_ run: String) throws -> [String: [Int: [String: Double]]] {
    let loaded = try LoadedRun.load(run)
    var out: [String: [Int: [String: Double]]] = [:]
    for split in [Split.train, .eval] {
      for key in loaded.store.keys(split)
      where key != MetricKey.tokensPerSecond && !key.hasPrefix("time") {
        let s = try #require(loaded.store.series(key, split))
        for (step, value) in zip(s.steps, s.values) {
          out["\(split)", default: [:]][step, default: [:]][key] = value
        }
      }
    }
    return out
  }

  @Test func aRunResumedWithOnlyItsDirectoryKeepsTheOptionsItStartedWith() throws {
    let bin = try Fixtures.binary()
    let root = try Fixtures.tempDir("resume-settings")
    defer { try? FileManager.default.removeItem(atPath: root) }

    let clean = root + "/clean"
    #expect(
      Fixtures.waitExit(
        try Fixtures.spawn([bin, "train", "--out", clean] + Self.options, log: root + "/clean.log"))
        == 0)
    let settings = try #require(try RunDirectory(path: clean).readManifest().trainerSettings)
    #expect(
      settings
        == TrainerSettings(
          warmupSteps: 3, trainRows: 300, evalEvery: 4, evalSamples: 2, evalPairs: 8, probes: 2,
          bestOf: 2, bestOfPrompts: 1, checkpointEvery: 3, weightDecay: 0.01))

    // Stopped for good after its first checkpoint, then resumed as `dpotop
    // resume` does it: the directory and nothing else.
    let stopped = root + "/stopped"
    let pid = try Fixtures.spawn(
      [bin, "train", "--out", stopped] + Self.options, log: root + "/stopped.log")
    try waitUntil("the first checkpoint of \(stopped)", timeout: 120) {
      FileManager.default.fileExists(atPath: stopped + "/checkpoints/latest.ckpt")
    }
    kill(pid, SIGKILL)
    _ = Fixtures.waitExit(pid)
    // Stopped part-way (a run that had already finished would prove nothing).
    #expect(try RunDirectory(path: stopped).readManifest().status == .running)
    let resumed = Fixtures.waitExit(
      try Fixtures.spawn([bin, "train", "--resume", "--out", stopped], log: root + "/stopped.log"))
    #expect(resumed == 0, "resume exited \(resumed): \(readTextFile(root + "/stopped.log") ?? "")")

    let expected = try Self.records(clean)
    let got = try Self.records(stopped)
    #expect(got["eval"]?.keys.sorted() == [0, 4, 8, 12])
    #expect(got["eval"]?.keys.sorted() == expected["eval"]?.keys.sorted())
    #expect(got["train"]?.keys.sorted() == Array(1...12))
    for (split, steps) in expected {
      for (step, values) in steps {
        for (key, value) in values {
          let other = got[split]?[step]?[key]
          #expect(
            other == value || (other?.isNaN == true && value.isNaN),
            "\(split) step \(step) \(key): resumed \(other ?? .nan) vs \(value)")
        }
      }
    }
  }
}

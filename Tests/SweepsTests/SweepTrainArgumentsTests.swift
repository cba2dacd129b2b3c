import Foundation
import Testing

@testable import Sweeps

@Suite struct SweepTrainArgumentsTests {
  /// The value following `flag` in `args`.
  func value(_ flag: String, _ args: [String]) -> String? {
    args.firstIndex(of: flag).flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil }
  }

  @Test(arguments: ["dpo", "dpop"])
  func preferenceRunsShareTheSweepsReferenceCache(objective: String) {
    let run = SweepManifest.Run(
      name: "\(objective)-b0.1-s1", objective: objective, beta: 0.1, seed: 1)
    let args = SweepCreator.trainArguments(SweepSpec(), run, runDir: "/sweeps/s1/\(run.name)")
    #expect(value("--ref-cache", args) == "/sweeps/s1/reference-cache")
    #expect(value("--out", args) == "/sweeps/s1/\(run.name)")
    #expect(args.filter { $0 == "--ref-cache" }.count == 1)
  }

  @Test func aRelativeRunDirectoryKeepsTheCacheBesideIt() {
    let run = SweepManifest.Run(name: "dpo-b0.3-s2", objective: "dpo", beta: 0.3, seed: 2)
    let args = SweepCreator.trainArguments(SweepSpec(), run, runDir: "out/dpo-b0.3-s2")
    #expect(value("--ref-cache", args) == "out/reference-cache")
    #expect(SweepCreator.referenceCacheDirectory(runDir: "lone") == "./reference-cache")
  }

  @Test func bestOfIsPassedToTheTrainerOnlyWhenTheSweepSetsIt() throws {
    let run = SweepManifest.Run(name: "dpo-b0.1-s1", objective: "dpo", beta: 0.1, seed: 1)
    #expect(!SweepCreator.trainArguments(SweepSpec(), run, runDir: "s/r").contains("--best-of"))
    var spec = SweepSpec()
    spec.bestOf = 0
    #expect(value("--best-of", SweepCreator.trainArguments(spec, run, runDir: "s/r")) == "0")
    // A Slurm job runs the same argv; sweep.json keeps the setting (old ones lack it).
    let sweep = SweepManifest(
      id: "s-1", name: "s", createdAt: 0, backend: "slurm", spec: spec, command: nil,
      slurmArgs: nil)
    let argv = try SweepCreator.argv(sweep, run, runDir: "s/r", executable: "dpotop")
    #expect(value("--best-of", argv) == "0")
    let json = try JSONEncoder().encode(spec)
    #expect(try JSONDecoder().decode(SweepSpec.self, from: json).bestOf == 0)
    let old =
      Data(#"{"objectives":["dpo"],"betas":[0.1],"lambda":50,"steps":10,"#.utf8)
      + Data(#""learning_rate":0.0001,"data":"d","seeds":[1],"jobs":1,"out":"o"}"#.utf8)
    #expect(try JSONDecoder().decode(SweepSpec.self, from: old).bestOf == nil)
  }

  @Test func anotherTrainersCommandGetsNoCache() throws {
    let run = SweepManifest.Run(name: "dpo-b0.3-s2", objective: "dpo", beta: 0.3, seed: 2)
    let sweep = SweepManifest(
      id: "s-1", name: "s", createdAt: 0, backend: "local", spec: SweepSpec(),
      command: try CommandTemplate(tokens: ["python3", "train.py", "--out", "{out}"]),
      slurmArgs: nil)
    let argv = try SweepCreator.argv(sweep, run, runDir: "/s/dpo-b0.3-s2", executable: "dpotop")
    #expect(argv == ["python3", "train.py", "--out", "/s/dpo-b0.3-s2"])
  }
}

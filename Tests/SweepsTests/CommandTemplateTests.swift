import Foundation
import Testing

@testable import Sweeps

@Suite struct CommandTemplateTests {
  private let run = SweepManifest.Run(name: "dpo-b0.3-s2", objective: "dpo", beta: 0.3, seed: 2)

  @Test func placeholdersAreReplacedInsideTokensAndTokensStayWhole() throws {
    let t = try CommandTemplate(tokens: [
      "python3", "train dpo.py", "--beta={beta}", "--name", "run '{run_name}' \"q\"", "{out}/x",
      "{{literal}}", "--loss", "{objective}",
    ])
    var spec = SweepSpec()
    spec.steps = 40
    let argv = try t.argv(for: run, spec: spec, runDir: "/r/a b")
    #expect(
      argv == [
        "python3", "train dpo.py", "--beta=0.3", "--name", "run 'dpo-b0.3-s2' \"q\"", "/r/a b/x",
        "{literal}", "--loss", "dpo",
      ])
  }

  @Test func everyPlaceholderIsKnown() throws {
    let t = try CommandTemplate(tokens: CommandTemplate.placeholders.map { "{\($0)}" })
    var spec = SweepSpec()
    spec.lambda = 25
    spec.learningRate = 5e-5
    let argv = try t.argv(for: run, spec: spec, runDir: "/out")
    #expect(argv == ["dpo", "0.3", "25.0", "2", "150", "5e-05", "/out", "dpo-b0.3-s2"])
  }

  @Test(arguments: [
    (["python", "{model}"], "command: unknown placeholder {model}"),
    (["python", "{beta"], "command: unclosed '{' in '{beta'"),
    (["python", "a}b"], "command: stray '}' in 'a}b' (write }} for a brace)"),
    ([String](), "command: the command template is empty"),
  ])
  func badTemplatesAreRefused(tokens: [String], message: String) {
    do {
      _ = try CommandTemplate(tokens: tokens)
      Issue.record("accepted \(tokens)")
    } catch {
      #expect(error.description.hasPrefix(message), "got \(error.description)")
    }
  }

  @Test func objectiveMapsTranslateAndRefuseTheUnmapped() throws {
    let map = try CommandTemplate.parseMap("dpo=sigmoid, ipo=ipo,slic=hinge")
    #expect(map == ["dpo": "sigmoid", "ipo": "ipo", "slic": "hinge"])
    let t = try CommandTemplate(tokens: ["trl", "--loss_type", "{objective}"], objectiveMap: map)
    #expect(
      try t.argv(for: run, spec: SweepSpec(), runDir: "/o") == ["trl", "--loss_type", "sigmoid"])
    #expect(throws: SweepError.self) { try t.check(objectives: ["dpo", "dpop"]) }
    try t.check(objectives: ["dpo", "slic"])
    #expect(throws: SweepError.self) { try CommandTemplate.parseMap("ppo=x") }
    #expect(throws: SweepError.self) { try CommandTemplate.parseMap("dpo") }
  }

  @Test func theTRLPresetMapsEveryObjectiveAndRefusesUnknownOnes() throws {
    let t = try CommandTemplate.trlPreset(extra: ["--model_name_or_path", "/m"])
    #expect(t.tokens.first == "dpotop-trl-dpo")
    #expect(t.tokens.suffix(2) == ["--model_name_or_path", "/m"])
    #expect(t.objectiveMap == ["dpo": "sigmoid", "dpop": "dpop", "ipo": "ipo", "slic": "hinge"])
    try t.check(objectives: SweepSpec.knownObjectives)
    // An objective neither TRL nor the integration has: refused by the spec before the template.
    var spec = SweepSpec()
    #expect(throws: SweepError.self) { try spec.set(.objectives, "dpo,kto") }
    // A user map that leaves dpop out still refuses it.
    var mapped = t
    mapped.objectiveMap = ["dpo": "sigmoid"]
    #expect(throws: SweepError.self) { try mapped.check(objectives: ["dpo", "dpop"]) }
    // λ reaches the run as --dpop_lambda.
    var dpop = run
    dpop.objective = "dpop"
    spec.lambda = 25
    let argv = try t.argv(for: dpop, spec: spec, runDir: "/o/x")
    let at = try #require(argv.firstIndex(of: "--dpop_lambda"))
    #expect(argv[at + 1] == "25.0")
    #expect(argv[try #require(argv.firstIndex(of: "--loss_type")) + 1] == "dpop")
  }

  /// Checks the preset against the real CLI's help (`dpotop-trl-dpo --help`,
  /// the integration's wrapper of TRL 1.16.0's `trl dpo`, recorded with
  /// COLUMNS=80 beside TRL's own help in the real TRL output fixtures): every
  /// option it passes exists, every objective maps to a loss type the help
  /// lists, and every option of TRL's own `trl dpo --help` is still there.
  @Test func theTRLPresetUsesOnlyOptionsTheRealCLIAccepts() throws {
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent()
      .appendingPathComponent("RunLogTests/Fixtures/trl-real")
    let help = try String(
      contentsOfFile: dir.appendingPathComponent("dpotop-trl-dpo-help.txt").path, encoding: .utf8)
    let trlHelp = try String(
      contentsOfFile: dir.appendingPathComponent("trl-dpo-help.txt").path, encoding: .utf8)
    func usage(_ text: String) throws -> Substring {
      text[..<(try #require(text.range(of: "\n\n"))).lowerBound]
    }
    let ours = try usage(help)
    #expect(ours.hasPrefix("usage: dpotop-trl-dpo "))
    let t = try CommandTemplate.trlPreset(extra: [])
    let flags = t.tokens.filter { $0.hasPrefix("--") }
    #expect(flags.count == 10)
    for flag in flags {
      #expect(ours.contains("[\(flag) ") || ours.contains("[\(flag)]"), "\(flag)")
    }
    // The wrapper accepts everything `trl dpo` does.
    let trlFlags = try usage(trlHelp).split(whereSeparator: { $0 == "[" || $0 == " " || $0 == "]" })
      .filter { $0.hasPrefix("--") }
    #expect(trlFlags.count > 100)
    for flag in trlFlags { #expect(ours.contains("[\(flag)"), "\(flag)") }
    let lossStart = try #require(help.range(of: "--loss_type LOSS_TYPE [LOSS_TYPE ...], "))
    let lossHelp = help[lossStart.upperBound...].prefix(900)
    #expect(Set(t.objectiveMap.values) == ["sigmoid", "dpop", "ipo", "hinge"])
    for target in t.objectiveMap.values {
      #expect(lossHelp.contains("`'\(target)'`"), "\(target)")
    }
    var spec = SweepSpec()
    spec.steps = 40
    spec.learningRate = 1e-6
    let argv = try t.argv(for: run, spec: spec, runDir: "/o/dpo-b0.3-s2")
    #expect(
      argv == [
        "dpotop-trl-dpo", "--beta", "0.3", "--loss_type", "sigmoid", "--dpop_lambda", "50.0",
        "--output_dir", "/o/dpo-b0.3-s2", "--max_steps", "40", "--learning_rate", "1e-06",
        "--seed", "2", "--run_name", "dpo-b0.3-s2", "--logging_steps", "1",
        "--report_to", "tensorboard",
      ])
  }
}

@Suite struct SlurmParsingTests {
  @Test func parsesSbatchParsableOutput() {
    #expect(SlurmBackend.parseSubmission("12345\n") == "12345")
    #expect(SlurmBackend.parseSubmission("678;cluster\n") == "678")
    #expect(SlurmBackend.parseSubmission("sbatch: error: Batch job submission failed\n") == nil)
    #expect(SlurmBackend.parseSubmission("") == nil)
  }

  @Test func parsesSqueueOutput() {
    let text = """
      101|PENDING|dpo-b0.1-s1
      102|RUNNING|dpop-b0.3-s1
      garbage line
      103|COMPLETING|name|with|bars
      """
    let q = SlurmBackend.parseQueue(text)
    #expect(q.count == 3)
    #expect(q["101"] == .init(id: "101", state: "PENDING", name: "dpo-b0.1-s1"))
    #expect(q["102"]?.state == "RUNNING")
    #expect(q["103"]?.name == "name|with|bars")
  }

  @Test func cancelChecksTheJobNameBeforeScancel() throws {
    var calls: [[String]] = []
    let fake: ([String]) throws(SweepError) -> CommandRunner.Output = { argv in
      calls.append(argv)
      if argv[0] == "squeue" {
        return .init(status: 0, stdout: "7|RUNNING|other-run\n8|PENDING|dpo-b0.1-s1\n", stderr: "")
      }
      return .init(status: 0, stdout: "", stderr: "")
    }
    #expect(throws: SweepError.self) {
      try SlurmBackend.cancel(runName: "dpo-b0.1-s1", handle: "job:7", run: fake)
    }
    #expect(!calls.contains { $0[0] == "scancel" }, "a job of another name is never cancelled")
    let line = try SlurmBackend.cancel(runName: "dpo-b0.1-s1", handle: "job:8", run: fake)
    #expect(line == "dpo-b0.1-s1: scancel 8 (pending)")
    #expect(calls.last == ["scancel", "8"])
  }
}

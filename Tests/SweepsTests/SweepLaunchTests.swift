import Foundation
import Processes
import RunLog
import Testing

@testable import Sweeps

@Suite struct ArgvTextTests {
  @Test func splitsOnWhitespaceAndQuotesKeepSpaces() throws {
    let args = try ArgvText.split(
      #"  --partition=gpu   --comment "two words" --x='a b' \"q "in \"side\"" '' "#,
      field: "slurm args")
    #expect(
      args == [
        "--partition=gpu", "--comment", "two words", "--x=a b", "\"q", "in \"side\"", "",
      ])
  }

  @Test func unclosedQuotesAndATrailingBackslashAreRefused() {
    #expect(throws: ProcessError(field: "f", "unclosed \" quote")) {
      try ArgvText.split(#"--comment "oops"#, field: "f")
    }
    #expect(throws: ProcessError(field: "f", "unclosed ' quote")) {
      try ArgvText.split("--comment 'oops", field: "f")
    }
    #expect(throws: ProcessError(field: "f", "a backslash at the end escapes nothing")) {
      try ArgvText.split(#"--x\"#, field: "f")
    }
  }

  @Test func joinReadsBackToTheSameArguments() throws {
    let cases: [[String]] = [
      [], ["--time=1:00:00"], ["--comment", "two words"], ["a\"b", "c\\d", "it's", ""],
      ["tab\there", "é ü"],
    ]
    for args in cases {
      #expect(try ArgvText.split(ArgvText.join(args), field: "f") == args)
    }
    #expect(ArgvText.join(["--comment", "two words"]) == #"--comment "two words""#)
  }
}

@Suite struct SweepLaunchTests {
  @Test func backendAndSlurmArgsAreSetFromText() throws {
    var launch = SweepLaunch()
    try launch.set(.backend, " slurm ")
    try launch.set(.slurmArgs, #"--partition=debug --comment "beta sweep""#)
    #expect(launch.backend == .slurm)
    #expect(launch.slurmArgs == ["--partition=debug", "--comment", "beta sweep"])
    #expect(launch.text(.slurmArgs) == #"--partition=debug --comment "beta sweep""#)
    try launch.validate()
    try launch.set(.betas, "0.5")
    #expect(launch.spec.betas == [0.5])
  }

  @Test(arguments: [
    (SweepLaunch.Field.backend, "kubernetes", "backend: unknown backend 'kubernetes'"),
    (.backend, "", "backend: unknown backend ''"),
    (.slurmArgs, "gpu --time=5", "slurm args: 'gpu' is not an sbatch option"),
    (.slurmArgs, "--comment \"x", "slurm args: unclosed \" quote"),
    (.slurmArgs, "--a ''", "slurm args: an empty option"),
    (.betas, "0", "betas: β must be > 0, got 0"),
  ])
  func badTextIsRefusedWithTheFieldNamed(field: SweepLaunch.Field, text: String, message: String) {
    var launch = SweepLaunch()
    let before = launch
    do {
      try launch.set(field, text)
      Issue.record("accepted \(text)")
    } catch {
      #expect(error.description.hasPrefix(message), "got: \(error.description)")
    }
    #expect(launch == before)
  }

  @Test func combinationsAreRefused() throws {
    var launch = SweepLaunch()
    launch.slurmArgs = ["--time=5"]
    #expect(throws: SweepError.self) { try launch.validate() }
    do {
      try launch.validate()
    } catch {
      #expect(error.field == "slurm args")
      #expect(error.message == "sbatch options only apply to backend slurm (this sweep is local)")
    }
    launch.slurmArgs = []
    launch.backend = .command
    #expect(throws: SweepError.self) { try launch.validate() }
    launch.command = try CommandTemplate(tokens: ["train", "{beta}"])
    try launch.validate()
    launch.backend = .local
    #expect(
      throws: SweepError(field: "backend", "a command template needs backend command or slurm")
    ) {
      try launch.validate()
    }
    #expect(throws: SweepError.self) {
      try SweepLaunch.checkSlurmArgs(Array(repeating: "--x", count: 65))
    }
  }
}

/// `SweepLaunch.start` against a recorded sbatch: what is submitted, and
/// what a failed submission leaves behind.
@Suite struct SweepLaunchStartTests {
  static func tempOut(_ tag: String) -> String {
    NSTemporaryDirectory() + "dpotop-launch-\(tag)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
  }

  /// A fake `sbatch` that accepts `accept` submissions (ids 500, 501, ...) then refuses.
  final class FakeSbatch: @unchecked Sendable {
    var calls: [[String]] = []
    let accept: Int
    init(accept: Int) { self.accept = accept }
    func run(_ argv: [String]) throws(SweepError) -> CommandRunner.Output {
      calls.append(argv)
      guard calls.count <= accept else {
        return .init(status: 1, stdout: "", stderr: "sbatch: error: invalid partition\n")
      }
      return .init(status: 0, stdout: "\(499 + calls.count)\n", stderr: "")
    }
  }

  @Test func slurmSubmitsEveryRunWithTheExtraOptionsAndRecordsJobIds() throws {
    let out = Self.tempOut("ok")
    defer { try? FileManager.default.removeItem(atPath: out) }
    var launch = SweepLaunch(backend: .slurm, slurmArgs: ["--partition=debug", "--time=5"])
    try launch.set(.out, out)
    try launch.set(.betas, "0.1,0.3")
    let sbatch = FakeSbatch(accept: 100)
    let started = try launch.start(executable: "/bin/dpotop", detach: true, run: sbatch.run)
    guard case .submitted(let manifest) = started else {
      Issue.record("not submitted: \(started)")
      return
    }
    #expect(manifest.runs.map(\.handle) == ["job:500", "job:501", "job:502", "job:503"])
    #expect(sbatch.calls.count == 4)
    let first = sbatch.calls[0]
    #expect(first.prefix(4) == ["sbatch", "--parsable", "--job-name", "dpo-b0.1-s1"])
    #expect(first.contains("--partition=debug") && first.contains("--time=5"))
    let onDisk = try SweepManifest.read(from: out)
    #expect(onDisk.backend == "slurm")
    #expect(onDisk.slurmArgs == ["--partition=debug", "--time=5"])
    #expect(onDisk.runs.map(\.handle) == manifest.runs.map(\.handle))
  }

  @Test func aRefusedSubmissionMarksTheRestFailedAndSaysHowManyWent() throws {
    let out = Self.tempOut("refused")
    defer { try? FileManager.default.removeItem(atPath: out) }
    var launch = SweepLaunch(backend: .slurm)
    try launch.set(.out, out)
    let sbatch = FakeSbatch(accept: 2)
    do {
      _ = try launch.start(executable: "/bin/dpotop", detach: true, run: sbatch.run)
      Issue.record("a refused sbatch was not reported")
    } catch {
      #expect(
        error.message.hasPrefix("sbatch refused dpo-b1.0-s1: sbatch: error: invalid partition"))
      #expect(error.message.contains("2 of 6 runs were submitted"))
    }
    let sweep = try SweepManifest.read(from: out)
    #expect(sweep.runs.compactMap(\.handle) == ["job:500", "job:501"])
    #expect(sweep.status == "running", "two jobs are still queued")
    let third = try RunDirectory(path: out + "/dpo-b1.0-s1").readManifest()
    #expect(third.status == .failed)
    #expect(third.error?.contains("invalid partition") == true)
    let first = try RunDirectory(path: out + "/dpo-b0.1-s1").readManifest()
    #expect(first.status == .queued)
  }

  @Test func aMissingSbatchLeavesAFinishedSweepOfFailedRuns() throws {
    let out = Self.tempOut("missing")
    defer { try? FileManager.default.removeItem(atPath: out) }
    var launch = SweepLaunch(backend: .slurm)
    try launch.set(.out, out)
    try launch.set(.objectives, "dpo")
    let missing: ([String]) throws(SweepError) -> CommandRunner.Output = {
      argv throws(SweepError) in
      throw SweepError("\(argv[0]): command not found", hint: "is it installed and on PATH?")
    }
    do {
      _ = try launch.start(executable: "/bin/dpotop", detach: true, run: missing)
      Issue.record("a missing sbatch was not reported")
    } catch {
      #expect(
        error.message
          == "sbatch: command not found; 0 of 3 runs were submitted, the rest are marked failed in \(out)"
      )
      #expect(error.hint == "is it installed and on PATH?")
    }
    let sweep = try SweepManifest.read(from: out)
    #expect(sweep.status == "finished")
    for run in sweep.runs {
      #expect(try RunDirectory(path: out + "/" + run.name).readManifest().status == .failed)
    }
  }

  @Test func localWithoutDetachOnlyCreates() throws {
    let out = Self.tempOut("local")
    defer { try? FileManager.default.removeItem(atPath: out) }
    var launch = SweepLaunch()
    try launch.set(.out, out)
    let started = try launch.start(executable: "/bin/false", detach: false) {
      argv throws(SweepError) in
      Issue.record("ran \(argv)")
      return .init(status: 1, stdout: "", stderr: "")
    }
    guard case .created(let m) = started else {
      Issue.record("\(started)")
      return
    }
    #expect(m.backend == "local" && m.slurmArgs == nil && m.runs.allSatisfy { $0.handle == nil })
    // sweep.json keeps its old shape: no backend inside the spec.
    let json = try String(contentsOfFile: out + "/sweep.json", encoding: .utf8)
    #expect(!json.contains("slurm_args") && json.contains("\"backend\" : \"local\""))
  }
}

import Foundation
import Sweeps

/// `dpotop reproduce`: reproduces the paper's failure mode from the
/// shipped reference: DPO (β = 0.1, 0.3, 1.0) against DPOP (λ = 50) on the
/// low-edit-distance pairs — the default β sweep, timed — then the DPO/DPOP
/// pair on the high-edit-distance pairs; prints held-out chosen log-ratios
/// and task accuracy before and after. A scientific command, not a speed
/// test: once `dpotop bench science` (still accepted for one release, see
/// `BenchAlias`); the speed tests are the `dpotop-bench` program.
enum ReproduceCommand {
  /// The options, declared once: the parser and the help come from these.
  static let options: [OptionSpec] = [
    .value("steps", "N", "steps per run", default: "150"),
    .value("lr", "X", "learning rate", default: "1e-4"),
    .value("batch", "B", "pairs per step", default: "16"),
    .value("eval-every", "K", "evaluation interval", default: "25"),
    .value("eval-samples", "N", "held-out problems decoded for task accuracy", default: "64"),
    .value("jobs", "J", "runs at once; each gets 2/J threads", default: "2"),
    .value("ref", "CHECKPOINT", "reference", default: "\(TrainCommand.referencePath)"),
    .value("out", "DIR", "where the runs go", default: "a new temporary directory"),
    .flag("high-edit-only", "skip the low-edit sweep"),
    .value(
      "seeds", "N", "train every run with seeds 1..N and add a table of mean ± sd over the seeds",
      default: "1, seed 1 alone"),
  ]

  static let command = Command(
    name: "reproduce", summary: "reproduce DPO's failure mode vs DPOP (β sweep, timed)",
    help: """
      USAGE: dpotop reproduce [OPTIONS]      (formerly 'dpotop bench science')

      Trains, with 'dpotop train' child processes --jobs at a time:
        low-edit set (math-low-edit):  DPO and DPOP (lambda 50) x beta 0.1, 0.3, 1.0
                                       (the default sweep; its wall time is reported)
        high-edit set (math-high-edit): DPO and DPOP at beta 0.1
      all from the reference checkpoint, then prints, per run, the held-out chosen
      log-ratio log pi(yw|x) - log pi_ref(yw|x) at each evaluation, the final
      reward margin and accuracy, and held-out task accuracy before and after;
      then the share of the chosen log-ratio's fall on the shared prefix and the
      greedy decode's log-ratio at each evaluation (squeezing); then greedy,
      best-of-8 and sample accuracy before -> after and the greedy decodes'
      log-ratio split by whether they are right (sharpening).

      OPTIONS:
      \(OptionSpec.helpSection(options))
      """, options: options, run: run)

  static func run(_ args: [String]) -> Int32 {
    let p = parsingArguments(help: "reproduce") { () throws(OptionError) in
      let parsed = try Options(options).parse(args)
      _ = try parsed.int("steps", default: 150, in: 1...100_000)
      _ = try parsed.double("lr", default: 1e-4, valid: { $0 > 0 }, requirement: "must be > 0")
      _ = try parsed.int("batch", default: 16, in: 1...1024)
      _ = try parsed.int("eval-every", default: 25, in: 1...100_000)
      _ = try parsed.int("eval-samples", default: 64, in: 0...10_000)
      _ = try parsed.int("jobs", default: 2, in: 1...64)
      _ = try parsed.int("seeds", default: 1, in: 1...20)
      return parsed
    }
    let steps = (try? p.int("steps", default: 150, in: 1...100_000)) ?? 150
    let jobs = (try? p.int("jobs", default: 2, in: 1...64)) ?? 2
    guard let ref = p.string("ref") ?? TrainCommand.locateReference() else {
      fail("no reference checkpoint", hint: "pass --ref or run from the repository")
    }
    let out = p.string("out") ?? NSTemporaryDirectory() + "dpotop-science-\(getpid())"
    if FileManager.default.fileExists(atPath: out) {
      fail("\(out) already exists", hint: "choose a new --out")
    }
    try? FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    var common = [
      "--steps", String(steps), "--lr", p.string("lr") ?? "1e-4",
      "--batch", p.string("batch") ?? "16", "--eval-every", p.string("eval-every") ?? "25",
      "--eval-samples", p.string("eval-samples") ?? "64", "--ref", ref,
      "--threads", String(max(1, 2 / jobs)),
      // Best-of-8 over every decoded prompt, not the training default's first 8.
      "--best-of-prompts", p.string("eval-samples") ?? "64",
    ]
    common += ["--checkpoint-every", String(steps)]
    print("reference \(ref); runs in \(out); \(steps) steps, \(jobs) at a time")
    var low = ReproductionRun.lowEdit
    var high = ReproductionRun.highEdit
    let seedCount = (try? p.int("seeds", default: 1, in: 1...20)) ?? 1
    if seedCount > 1 {
      low = ReproductionRun.withSeeds(low, seedCount)
      high = ReproductionRun.withSeeds(high, seedCount)
    }
    var all: [ReproductionRun] = []
    if !p.flag("high-edit-only") {
      let seconds = launch(low, common: common, out: out, jobs: jobs)
      print(
        String(
          format: "low-edit sweep (%d runs, %d at a time): %.1f s wall, %.1f s CPU", low.count,
          jobs, seconds,
          low.map { ReproductionReport.cpuSeconds(out + "/" + $0.name + ".log") }.reduce(0, +)))
      all += low
    }
    let seconds = launch(high, common: common, out: out, jobs: jobs)
    print(
      String(
        format: "high-edit pair (%d runs, %d at a time): %.1f s wall", high.count, jobs, seconds))
    all += high
    print(
      String(
        format: "CPU time of all runs: %.1f s (the wall time on an idle machine is about this / 2)",
        all.map { ReproductionReport.cpuSeconds(out + "/" + $0.name + ".log") }.reduce(0, +)))
    print()
    print(ReproductionReport.table(all, out: out), terminator: "")
    if seedCount > 1 {
      print()
      print(ReproductionReport.seedTable(all, out: out), terminator: "")
    }
    print(ReproductionReport.whereLikelihoodGoes(all, out: out), terminator: "")
    print(ReproductionReport.sharpening(all, out: out), terminator: "")
    return 0
  }

  /// Runs `specs` as child processes, `jobs` at a time; returns the wall time.
  static func launch(_ specs: [ReproductionRun], common: [String], out: String, jobs: Int) -> Double
  {
    let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
    let start = Date()
    var queue = specs
    var running: [(ReproductionRun, Process)] = []
    while !queue.isEmpty || !running.isEmpty {
      while running.count < jobs, !queue.isEmpty {
        let spec = queue.removeFirst()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: exe)
        process.arguments = spec.trainArguments(out: out, common: common)
        FileManager.default.createFile(atPath: out + "/" + spec.name + ".log", contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: out + "/" + spec.name + ".log")
        process.standardError = process.standardOutput
        do { try process.run() } catch {
          print("\(spec.name): could not start: \(error)")
          continue
        }
        running.append((spec, process))
      }
      usleep(100_000)
      running.removeAll { spec, process in
        guard !process.isRunning else { return false }
        let secs = Date().timeIntervalSince(start)
        print(
          String(
            format: "  %-28@ exit %d at %.1f s", spec.name as NSString, process.terminationStatus,
            secs))
        return true
      }
    }
    return Date().timeIntervalSince(start)
  }
}

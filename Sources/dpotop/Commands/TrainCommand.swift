import Foundation
import RunLog
import Sweeps
import Training

/// `dpotop train`: trains the embedded transformer (SFT or a preference
/// objective) into a run directory the dashboard can watch.
enum TrainCommand {
  /// The options, declared once: the parser and the help come from these.
  static let options: [OptionSpec] = [
    .value(
      "out", "DIR",
      "run directory to create (must not exist or be empty, unless --resume) (required)"),
    .value("objective", "NAME", "sft, dpo, dpop, ipo or slic", default: "sft"),
    .flag(
      "resume",
      "continue the run in --out from its last checkpoint; options not given again are taken from its run.json"
    ),
    .value("steps", "N", "optimiser steps", default: "1500 for sft, 150 otherwise"),
    .value("lr", "X", "peak learning rate", default: "2e-3 for sft, 1e-4 otherwise"),
    .value(
      "warmup", "N",
      "linear warm-up steps (default: 50 for sft, 10 otherwise); sft then decays (cosine) to lr/10, preference runs keep lr"
    ),
    .value(
      "batch", "B", "sequences per step for sft, pairs per step otherwise",
      default: "32 for sft, 16 otherwise"),
    .value(
      "data", "NAME|FILE", "math, math-low-edit, math-high-edit or a JSONL file",
      default: "math for sft, math-low-edit otherwise"),
    .value("seed", "S", "seed for weights, data and batches", default: "1"),
    .value(
      "train-rows", "N", "rows (or pairs) generated for a built-in dataset's training split",
      default: "10000"),
    .value("layers", "L", "transformer blocks, sft only", default: "3"),
    .value("dim", "D", "embedding width, sft only", default: "96"),
    .value("heads", "H", "attention heads, must divide --dim", default: "4"),
    .value("context", "T", "longest sequence in characters", default: "128"),
    .value(
      "eval-every", "K", "held-out evaluation every K steps, also at the start and the end",
      default: "100 for sft, 25 otherwise"),
    .value("eval-samples", "N", "held-out problems decoded for task accuracy", default: "64"),
    .value(
      "eval-pairs", "N", "held-out rows (pairs) scored for the held-out metrics at each evaluation",
      default: "128"),
    .value(
      "probes", "K",
      "preference runs: log the first K held-out pairs token by token to probes.jsonl at each evaluation; 0: off",
      default: "8"),
    .value(
      "best-of", "N",
      "preference runs: at each evaluation draw N completions (temperature 1) of each prompt --eval-samples decodes and log best-of-N, pass@N and sample accuracy (bon/*, sample/accuracy); 0: off",
      default: "8"),
    .value(
      "best-of-prompts", "K",
      "preference runs: best-of-N samples the first K of those prompts; N samples cost about N greedy decodes, and 8 prompts keep an evaluation within +25 %",
      default: "8"),
    .value("checkpoint-every", "K", "checkpoint every K steps and at the end", default: "500"),
    .value("threads", "N", "kernel threads", default: "2"),
    .value("beta", "B", "preference objectives' beta, > 0", default: "0.1"),
    .value("lambda", "L", "DPOP penalty weight, >= 0", default: "50"),
    .value(
      "ref", "CHECKPOINT", "reference and starting weights of a preference run",
      default: "\(referencePath)"),
    .value(
      "ref-cache", "DIR",
      "preference runs: share the reference's log-probs with the other runs given DIR (a sweep passes its reference-cache/): a pair another run already scored is read, not recomputed; results are bit-identical with or without it",
      default: "none"),
    .value("weight-decay", "X", "AdamW decay on block matrices", default: "0"),
    .value(
      "init", "CHECKPOINT",
      "sft only: start from these weights (fresh optimiser) instead of a random initialisation",
      default: "none"),
  ]

  /// Where the shipped SFT reference's weights live, relative to the repository.
  static let referencePath = "sample-runs/reference/checkpoints/final.ckpt"

  static var command: Command {
    Command(
      name: "train", summary: "train the embedded transformer (SFT, DPO, DPOP, IPO, SLiC)",
      help: help, options: options, run: run)
  }

  static let help = """
    USAGE: dpotop train --out DIR [OPTIONS]

    Trains the embedded character-level transformer on CPU and writes a run
    directory (run.json, metrics.jsonl, checkpoints/) that 'dpotop' can watch.
    SIGINT/SIGTERM finish the current step, checkpoint and mark the run cancelled;
    --resume continues a stopped run exactly.

    OPTIONS:
    \(OptionSpec.helpSection(options))
    """

  static func run(_ args: [String]) -> Int32 {
    let (config, out, resume) = parse(args)
    let stop = StopFlag()
    stop.catchSignals()
    // A file size limit (ulimit -f) or a reader gone from our stdout pipe
    // must come back as a failed write the trainer reports and records,
    // not kill it before it can mark its run failed.
    signal(SIGXFSZ, SIG_IGN)
    signal(SIGPIPE, SIG_IGN)
    let trainer: Trainer
    do {
      trainer = try Trainer(
        config: config, directory: RunDirectory(path: out), resume: resume, stop: stop,
        // Unbuffered, line at a time: a dashboard tails this through trainer.log.
        log: { writeLine($0) })
    } catch {
      fail(error.description)
    }
    do {
      let status = try trainer.run()
      return status == .finished || status == .cancelled ? 0 : 1
    } catch {
      fail(error.description, status: 1)
    }
  }

  /// With `--resume`, the options the run was started with, from its
  /// run.json, for each one not given again: `dpotop resume RUN` (and the
  /// dashboard's R) restart a run with nothing but `--resume --out RUN`.
  static func resumeDefaults(_ args: [String]) -> [String] {
    guard args.contains("--resume"),
      let parsed = try? Options(options).parse(args),
      let out = parsed.string("out"),
      let m = try? RunDirectory(path: out).readManifest()
    else { return [] }
    var given: [String: String?] = [
      "objective": m.objective, "beta": m.beta.map { "\($0)" }, "lambda": m.lambda.map { "\($0)" },
      "lr": m.learningRate.map { "\($0)" }, "steps": m.plannedSteps.map(String.init),
      "batch": m.batchSize.map(String.init), "seed": m.seed.map(String.init),
      "data": m.dataset.map { $0.path ?? $0.name },
    ]
    for (key, value) in m.trainerSettings?.options ?? [:] { given[key] = value }
    if m.objective != "sft" {
      given["ref"] = m.reference
    } else if let initFrom = m.reference {
      given["init"] = initFrom
    } else if let shape = m.model {
      // An SFT run from scratch that starts over (killed before its first
      // checkpoint) must build the same model again.
      given["layers"] = "\(shape.layers)"
      given["dim"] = "\(shape.dim)"
      given["heads"] = "\(shape.heads)"
      given["context"] = "\(shape.context)"
    }
    if m.objective != "sft", m.sweepId != nil {
      // A sweep's run resumed alone (`dpotop resume`, the dashboard's R) reads
      // its sweep's cache again, its own earlier values included.
      let cache = SweepCreator.referenceCacheDirectory(runDir: out)
      if FileManager.default.fileExists(atPath: cache) { given["ref-cache"] = cache }
    }
    var injected: [String] = []
    for (key, value) in given.sorted(by: { $0.key < $1.key }) {
      guard let value, parsed.string(key) == nil else { continue }
      injected += ["--\(key)", value]
    }
    return injected
  }

  /// Parses and validates the options (exits with a message on a bad one).
  static func parse(_ args: [String]) -> (TrainingConfig, String, Bool) {
    parsingArguments(help: "train") { () throws(OptionError) in
      let parsed = try Options(options).parse(resumeDefaults(args) + args)
      if let extra = parsed.positional.first {
        throw OptionError("unexpected argument '\(extra)'")
      }
      guard let out = parsed.string("out"), !out.isEmpty else {
        throw OptionError("--out DIR is required")
      }
      var c = TrainingConfig()
      let name = parsed.string("objective") ?? "sft"
      guard let objective = Objective(rawValue: name) else {
        throw OptionError(
          "--objective: unknown objective '\(name)' (use sft, dpo, dpop, ipo or slic)")
      }
      c.objective = objective
      let pref = objective.isPreference
      c.steps = try parsed.int("steps", default: pref ? 150 : 1500, in: 1...10_000_000)
      c.learningRate = try parsed.double(
        "lr", default: pref ? 1e-4 : 2e-3, valid: { $0 > 0 && $0 < 10 },
        requirement: "must be in (0, 10)")
      c.warmupSteps = try parsed.int("warmup", default: pref ? 10 : 50, in: 0...10_000_000)
      c.cosineDecay = !pref
      c.batch = try parsed.int("batch", default: pref ? 16 : 32, in: 1...4096)
      c.data = parsed.string("data") ?? (pref ? "math-low-edit" : "math")
      c.seed = UInt64(try parsed.int("seed", default: 1, in: 0...Int.max))
      c.trainCount = try parsed.int("train-rows", default: 10_000, in: 1...10_000_000)
      let layers = try parsed.int("layers", default: ModelConfig.standard.layers, in: 1...64)
      let dim = try parsed.int("dim", default: ModelConfig.standard.dim, in: 4...2048)
      let heads = try parsed.int("heads", default: ModelConfig.standard.heads, in: 1...256)
      let context = try parsed.int("context", default: ModelConfig.standard.context, in: 8...4096)
      guard dim % heads == 0 else {
        throw OptionError("--heads: \(heads) does not divide --dim \(dim)")
      }
      c.model = ModelConfig(
        vocab: ModelConfig.standard.vocab, context: context, dim: dim, layers: layers, heads: heads)
      if pref, ["layers", "dim", "heads", "context"].contains(where: { parsed.string($0) != nil }) {
        throw OptionError(
          "--layers/--dim/--heads/--context: a preference run takes its shape from --ref")
      }
      c.evalEvery = try parsed.int("eval-every", default: pref ? 25 : 100, in: 1...10_000_000)
      c.evalSamples = try parsed.int("eval-samples", default: 64, in: 0...100_000)
      c.evalLossRows = try parsed.int("eval-pairs", default: 128, in: 0...1_000_000)
      c.probes = try parsed.int("probes", default: 8, in: 0...100_000)
      c.bestOf = try parsed.int("best-of", default: pref ? 8 : 0, in: 0...1024)
      c.bestOfPrompts = try parsed.int("best-of-prompts", default: 8, in: 0...100_000)
      if !pref, c.bestOf > 0 {
        throw OptionError("--best-of: only preference objectives take it")
      }
      c.checkpointEvery = try parsed.int("checkpoint-every", default: 500, in: 1...10_000_000)
      c.threads = try parsed.int("threads", default: 2, in: 1...256)
      c.beta = try parsed.double(
        "beta", default: 0.1, valid: { $0 > 0 }, requirement: "beta must be greater than 0")
      c.lambda = try parsed.double(
        "lambda", default: 50, valid: { $0 >= 0 }, requirement: "lambda must be 0 or more")
      c.weightDecay = try parsed.double(
        "weight-decay", default: 0, valid: { $0 >= 0 && $0 < 1 }, requirement: "must be in [0, 1)")
      if pref {
        // Absolute, so a resume or a dashboard started elsewhere finds it.
        c.reference = (parsed.string("ref") ?? locateReference()).map(absolute)
        guard c.reference != nil else {
          throw OptionError("--ref: no reference checkpoint given and \(referencePath) not found")
        }
      } else if parsed.string("ref") != nil {
        throw OptionError("--ref: only preference objectives take a reference")
      }
      if let initFrom = parsed.string("init") {
        guard !pref else { throw OptionError("--init: preference runs start from --ref") }
        if ["layers", "dim", "heads", "context"].contains(where: { parsed.string($0) != nil }) {
          throw OptionError(
            "--layers/--dim/--heads/--context: --init takes its shape from the checkpoint")
        }
        c.initFrom = absolute(initFrom)
      }
      if let cache = parsed.string("ref-cache") {
        guard pref else { throw OptionError("--ref-cache: only preference objectives take it") }
        guard !cache.isEmpty else { throw OptionError("--ref-cache: needs a directory") }
        c.referenceCache = absolute(cache)
      }
      for key in ["beta", "lambda"] where !pref && parsed.string(key) != nil {
        throw OptionError("--\(key): only preference objectives take it")
      }
      return (c, out, parsed.flag("resume"))
    }
  }

  /// `path` made absolute against the working directory.
  static func absolute(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.path
  }

  /// The shipped reference, looked up from the working directory and where
  /// the bundled sample runs are (`BundledPaths`: beside the executable or a
  /// parent of it, as in a build in the repository or an unpacked package).
  static func locateReference() -> String? {
    var candidates = [referencePath]
    if let samples = BundledPaths.directory("sample-runs") {
      candidates.append(samples + "/reference/checkpoints/final.ckpt")
    }
    return candidates.first { FileManager.default.fileExists(atPath: $0) }
  }
}

/// Writes one line to standard output with write(2), ignoring failures: the
/// log usually goes to the run directory's trainer.log, and when that disk is
/// full the trainer must go on to record why it stopped (FileHandle's write
/// traps on an error).
private func writeLine(_ line: String) {
  _ = Array((line + "\n").utf8).withUnsafeBytes { writeAll(1, $0) }
}

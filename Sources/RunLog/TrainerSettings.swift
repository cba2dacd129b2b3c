import Foundation

/// The rest of what shaped a dpotop training run, beyond the manifest's
/// headline fields: the schedule, the evaluation and the regularisation.
///
/// Written by dpotop's trainer into `run.json` (`trainer_settings`) so that
/// `dpotop resume` continues a run with the options it was started with — a
/// resumed run that fell back to the defaults would warm up, evaluate and
/// checkpoint on another schedule than the run it continues. Every field is
/// optional: importers leave the whole object out, and a run written before
/// it existed resumes with the defaults as it always did.
public struct TrainerSettings: Sendable, Codable, Equatable {
  /// Linear warm-up steps (`--warmup`).
  public var warmupSteps: Int?
  /// Training rows generated for a built-in dataset (`--train-rows`).
  public var trainRows: Int?
  /// Held-out evaluation every this many steps (`--eval-every`).
  public var evalEvery: Int?
  /// Held-out problems decoded for task accuracy (`--eval-samples`).
  public var evalSamples: Int?
  /// Held-out rows or pairs scored at each evaluation (`--eval-pairs`).
  public var evalPairs: Int?
  /// Held-out pairs logged token by token (`--probes`).
  public var probes: Int?
  /// Samples per prompt for best-of-N (`--best-of`).
  public var bestOf: Int?
  /// Prompts best-of-N samples (`--best-of-prompts`).
  public var bestOfPrompts: Int?
  /// Checkpoint every this many steps (`--checkpoint-every`).
  public var checkpointEvery: Int?
  /// AdamW decoupled weight decay (`--weight-decay`).
  public var weightDecay: Double?

  /// Creates settings with every field given (nil: not recorded).
  public init(
    warmupSteps: Int? = nil, trainRows: Int? = nil, evalEvery: Int? = nil,
    evalSamples: Int? = nil, evalPairs: Int? = nil, probes: Int? = nil, bestOf: Int? = nil,
    bestOfPrompts: Int? = nil, checkpointEvery: Int? = nil, weightDecay: Double? = nil
  ) {
    self.warmupSteps = warmupSteps
    self.trainRows = trainRows
    self.evalEvery = evalEvery
    self.evalSamples = evalSamples
    self.evalPairs = evalPairs
    self.probes = probes
    self.bestOf = bestOf
    self.bestOfPrompts = bestOfPrompts
    self.checkpointEvery = checkpointEvery
    self.weightDecay = weightDecay
  }

  /// The `dpotop train` option each recorded setting came from, with its
  /// value as that option spells it (for `--resume`).
  public var options: [String: String] {
    var o: [String: String] = [:]
    o["warmup"] = warmupSteps.map(String.init)
    o["train-rows"] = trainRows.map(String.init)
    o["eval-every"] = evalEvery.map(String.init)
    o["eval-samples"] = evalSamples.map(String.init)
    o["eval-pairs"] = evalPairs.map(String.init)
    o["probes"] = probes.map(String.init)
    o["best-of"] = bestOf.map(String.init)
    o["best-of-prompts"] = bestOfPrompts.map(String.init)
    o["checkpoint-every"] = checkpointEvery.map(String.init)
    o["weight-decay"] = weightDecay.map { "\($0)" }
    return o
  }

  enum CodingKeys: String, CodingKey {
    case warmupSteps = "warmup_steps"
    case trainRows = "train_rows"
    case evalEvery = "eval_every"
    case evalSamples = "eval_samples"
    case evalPairs = "eval_pairs"
    case probes
    case bestOf = "best_of"
    case bestOfPrompts = "best_of_prompts"
    case checkpointEvery = "checkpoint_every"
    case weightDecay = "weight_decay"
  }
}

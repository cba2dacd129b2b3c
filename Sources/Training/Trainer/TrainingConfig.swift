import Foundation

/// Everything a training run is configured by (the `dpotop train` options).
public struct TrainingConfig: Sendable, Equatable {
  /// What the run optimises.
  public var objective: Objective = .sft
  /// Optimiser steps to run.
  public var steps = 1500
  /// Peak learning rate (after warm-up).
  public var learningRate = 2e-3
  /// Linear warm-up steps.
  public var warmupSteps = 50
  /// Whether the rate decays (cosine, to a tenth) after warm-up.
  public var cosineDecay = true
  /// Sequences per step (SFT) or pairs per step (preference objectives).
  public var batch = 32
  /// Seed for initialisation, data generation and batch sampling.
  public var seed: UInt64 = 1
  /// The model's shape (ignored when starting from a checkpoint).
  public var model = ModelConfig.standard
  /// `--data`: a built-in dataset name or a JSONL file.
  public var data = "math"
  /// Training rows generated for built-in datasets.
  public var trainCount = 10_000
  /// Held-out rows generated for built-in datasets.
  public var heldOutCount = 256
  /// Evaluate every this many steps (and at the start and the end).
  public var evalEvery = 100
  /// Held-out problems decoded for task accuracy at each evaluation.
  public var evalSamples = 64
  /// Held-out rows (or pairs) scored for held-out loss at each evaluation.
  public var evalLossRows = 128
  /// Preference runs: the first this many held-out pairs are written token
  /// by token to `probes.jsonl` at each evaluation (0: none).
  public var probes = 8
  /// Preference runs: samples drawn per prompt task accuracy decodes, for
  /// best-of-N at each evaluation (`--best-of`; 0: none).
  public var bestOf = 8
  /// Preference runs: best-of-N samples the first this many of those prompts
  /// (`--best-of-prompts`): N samples cost about N times a greedy decode,
  /// and 8 prompts keep an evaluation within a quarter of its cost without.
  public var bestOfPrompts = 8
  /// Checkpoint every this many steps (and at the end).
  public var checkpointEvery = 500
  /// Threads the kernels use.
  public var threads = 2
  /// β of the preference objectives.
  public var beta = 0.1
  /// λ of DPOP's penalty.
  public var lambda = 50.0
  /// The reference / starting checkpoint of a preference run.
  public var reference: String?
  /// Preference runs: a directory whose reference log-probs are shared with
  /// the other runs given the same one (`--ref-cache`; a sweep passes its own).
  public var referenceCache: String?
  /// SFT only: start from this checkpoint's weights (fresh optimiser, step 0)
  /// instead of a random initialisation.
  public var initFrom: String?
  /// AdamW decoupled weight decay (on block matrices only).
  public var weightDecay = 0.0
  /// Global gradient-norm clip.
  public var clipNorm = 1.0

  /// Creates the default configuration.
  public init() {}

  /// The learning rate of 1-based step `step`: linear warm-up, then either
  /// constant or a cosine decay to a tenth of the peak at the last step.
  public func learningRate(at step: Int) -> Double {
    if warmupSteps > 0, step <= warmupSteps {
      return learningRate * Double(step) / Double(warmupSteps)
    }
    guard cosineDecay, steps > warmupSteps else { return learningRate }
    let progress = Double(step - warmupSteps) / Double(steps - warmupSteps)
    let cosine = 0.5 * (1 + cos(Double.pi * min(1, progress)))
    return learningRate * (0.1 + 0.9 * cosine)
  }

  /// The first unusable value, as an error naming its option.
  public func validate() throws(TrainingError) {
    func bad(_ name: String, _ reason: String) -> TrainingError {
      TrainingError(.badOption(name: name, reason: reason))
    }
    if steps < 1 { throw bad("steps", "must be at least 1") }
    if !(learningRate > 0 && learningRate.isFinite) { throw bad("lr", "must be positive") }
    if batch < 1 { throw bad("batch", "must be at least 1") }
    if evalEvery < 1 { throw bad("eval-every", "must be at least 1") }
    if checkpointEvery < 1 { throw bad("checkpoint-every", "must be at least 1") }
    if probes < 0 { throw bad("probes", "must be 0 or more") }
    if bestOf < 0 { throw bad("best-of", "must be 0 or more") }
    if bestOfPrompts < 0 { throw bad("best-of-prompts", "must be 0 or more") }
    if evalLossRows < 0 { throw bad("eval-pairs", "must be 0 or more") }
    if threads < 1 { throw bad("threads", "must be at least 1") }
    if !(beta > 0 && beta.isFinite) { throw bad("beta", "must be positive") }
    if !(lambda >= 0 && lambda.isFinite) { throw bad("lambda", "must be zero or positive") }
    if let problem = model.problem { throw bad("dim/layers/heads/context", problem) }
  }
}

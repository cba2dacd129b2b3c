import RunLog

/// What one training step produced, before the optimiser update.
struct StepResult {
  /// The objective's value (batch mean).
  var loss: Double
  /// Further metrics of the step, in logging order (MetricKey names).
  var metrics: [(String, Double)]
  /// Non-padding tokens run through the model (forward and backward).
  var tokens: Int
}

/// One objective's part of the training loop: the gradient of a step and
/// the held-out evaluation. The loop owns the optimiser, logging,
/// checkpoints and signals.
protocol ObjectiveStepper {
  /// Accumulates the gradients of 1-based step `step` into `model`'s
  /// (already zeroed) gradient buffer.
  mutating func step(_ step: Int, model: TinyTransformer) -> StepResult
  /// Held-out metrics (eval split), `loss` and `task_accuracy` included,
  /// at the evaluation after step `step` (0: before training).
  mutating func evaluate(step: Int, model: TinyTransformer) -> [(String, Double)]
  /// The probes the last `evaluate` scored (handed out once), for `probes.jsonl`.
  mutating func takeProbes() -> [ProbeRecord]
}

extension ObjectiveStepper {
  /// Objectives without pairs have no probes.
  mutating func takeProbes() -> [ProbeRecord] { [] }
}

/// Non-padding tokens of a batch.
func realTokens(_ batch: SequenceBatch) -> Int {
  batch.tokens.reduce(0) { $0 + ($1 == Tokenizer.pad ? 0 : 1) }
}

/// Draws `count` indices in `0..<size` for step `step`, from a stream that
/// depends only on (seed, step): a resumed run draws the same batches.
func batchIndices(count: Int, size: Int, seed: UInt64, step: Int) -> [Int] {
  var rng = ModelRNG(seed: seed, stream: UInt64(step))
  return (0..<count).map { _ in Int(rng.next() % UInt64(size)) }
}

/// The batches a run of `config` trains on, step by step, without training:
/// what `dpotop bench train --vs-pytorch` hands to PyTorch so both sides
/// run (and count) the same tokens. Drawn by the steppers' own code.
public enum StepBatches {
  /// One step's model input: (B, T) token ids and targets (−1 unscored),
  /// and the non-padding tokens the trainer counts for `tokens_per_second`.
  public struct Batch: Sendable {
    public var b: Int
    public var t: Int
    public var tokens: [Int32]
    public var targets: [Int32]
    public var realTokens: Int
  }

  /// Steps 1...config.steps of a fresh run (preference batches hold the
  /// chosen sequences, then the rejected ones).
  public static func batches(_ config: TrainingConfig) throws -> [Batch] {
    let context = config.model.context
    let draw: (Int) -> SequenceBatch
    if config.objective.isPreference {
      let data = try DatasetSource.preferences(
        config.data, trainCount: config.trainCount, heldOutCount: config.heldOutCount,
        seed: config.seed)
      draw = { step in
        let picks = batchIndices(
          count: config.batch, size: data.train.count, seed: config.seed, step: step)
        return PreferenceStepper.sequences(data.train, picks, context: context)
      }
    } else {
      let data = try DatasetSource.sft(
        config.data, trainCount: config.trainCount, heldOutCount: config.heldOutCount,
        seed: config.seed)
      draw = { step in
        let picks = batchIndices(
          count: config.batch, size: data.train.count, seed: config.seed, step: step)
        return SFTStepper.sequences(data.train, picks, context: context)
      }
    }
    return (1...max(config.steps, 1)).map { step in
      let s = draw(step)
      return Batch(
        b: s.b, t: s.t, tokens: s.tokens, targets: s.targets, realTokens: realTokens(s))
    }
  }
}

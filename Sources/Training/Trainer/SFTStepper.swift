import RunLog

/// Supervised fine-tuning: mean next-token cross-entropy over completion
/// tokens of `batch` random training rows per step.
struct SFTStepper: ObjectiveStepper {
  let data: SFTDataset
  let batch: Int
  let seed: UInt64
  let evalSamples: Int
  let evalLossRows: Int

  mutating func step(_ step: Int, model: TinyTransformer) -> StepResult {
    let picks = batchIndices(count: batch, size: data.train.count, seed: seed, step: step)
    let seqs = Self.sequences(data.train, picks, context: model.config.context)
    let (loss, _) = model.completionLoss(seqs, backward: true)
    return StepResult(loss: loss, metrics: [], tokens: realTokens(seqs))
  }

  /// Rows `picks` of `rows` as one batch.
  static func sequences(_ rows: [TextExample], _ picks: [Int], context: Int) -> SequenceBatch {
    SequenceBatch(picks.map { PromptCompletion(rows[$0]) }, context: context)
  }

  mutating func evaluate(step: Int, model: TinyTransformer) -> [(String, Double)] {
    let rows = Array(data.heldOut.prefix(evalLossRows))
    var total = 0.0
    var tokens = 0
    var start = 0
    while start < rows.count {
      let chunk = rows[start..<min(rows.count, start + model.maxBatch)]
      let seqs = SequenceBatch(chunk.map(PromptCompletion.init), context: model.config.context)
      let (loss, n) = model.completionLoss(seqs, backward: false)
      total += loss * Double(n)
      tokens += n
      start += model.maxBatch
    }
    var out: [(String, Double)] = [(MetricKey.loss, tokens > 0 ? total / Double(tokens) : .nan)]
    if let acc = TaskAccuracy.measure(Array(data.heldOut.prefix(evalSamples)), model: model) {
      out.append((MetricKey.taskAccuracy, acc))
    }
    return out
  }
}

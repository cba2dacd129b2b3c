/// log πref of each scored token of held-out pairs' chosen and rejected
/// completions, computed by the frozen reference on first use and kept (the
/// evaluation pairs and probes are the same at every evaluation).
final class ReferenceTokenLogProbs {
  private let reference: ReferenceLogProbs
  private var cache: [Int: (chosen: [Double], rejected: [Double])] = [:]

  /// Per-token reference log-probs from `reference`'s model.
  init(reference: ReferenceLogProbs) {
    self.reference = reference
  }

  /// (chosen, rejected) per-token log πref for `pairs[i]` at each of `indices`.
  func logProbs(_ pairs: [PreferencePair], _ indices: [Int]) -> [(
    chosen: [Double], rejected: [Double]
  )] {
    let model = reference.model
    let missing = Array(Set(indices.filter { cache[$0] == nil })).sorted()
    let per = max(1, model.maxBatch / 2)
    var start = 0
    while start < missing.count {
      let chunk = Array(missing[start..<min(missing.count, start + per)])
      let items =
        chunk.map { PromptCompletion(prompt: pairs[$0].prompt, completion: pairs[$0].chosen) }
        + chunk.map { PromptCompletion(prompt: pairs[$0].prompt, completion: pairs[$0].rejected) }
      let rows = model.tokenLogProbs(SequenceBatch(items, context: model.config.context))
      for (j, index) in chunk.enumerated() {
        cache[index] = (rows[j], rows[chunk.count + j])
      }
      start += per
    }
    return indices.map { cache[$0] ?? ([], []) }
  }

  /// log πref(y|x) of each (prompt, completion), in batches the reference takes.
  func sequenceLogProbs(_ items: [PromptCompletion]) -> [Double] {
    reference.model.sequenceLogProbsChunked(items)
  }
}

extension TinyTransformer {
  /// `sequenceLogProbs` over any number of sequences, `maxBatch` at a time.
  func sequenceLogProbsChunked(_ items: [PromptCompletion]) -> [Double] {
    var out: [Double] = []
    out.reserveCapacity(items.count)
    var start = 0
    while start < items.count {
      let chunk = Array(items[start..<min(items.count, start + maxBatch)])
      out += sequenceLogProbs(SequenceBatch(chunk, context: config.context))
      start += maxBatch
    }
    return out
  }
}

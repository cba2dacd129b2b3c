/// log πref(y|x) for the chosen and rejected side of preference pairs,
/// computed by a frozen copy of the reference model on first use and kept
/// for the rest of the run.
///
/// A sequence's log-prob does not depend on what it is batched or padded
/// with (every kernel computes a row from that row and earlier positions
/// only, in a fixed order), so lazily computed values are the values an
/// up-front pass would give, and a resumed run recomputes them bit-for-bit.
final class ReferenceLogProbs {
  /// The frozen reference (also scores per-token and greedy log-probs at evaluation).
  let model: TinyTransformer
  private var chosen: [Int: Double] = [:]
  private var rejected: [Int: Double] = [:]
  /// Forward passes run so far (sequences), for tests.
  private(set) var computedSequences = 0

  /// A frozen reference with `parameters`.
  init(config: ModelConfig, parameters: [Float], maxPairs: Int, threads: Int) {
    model = TinyTransformer(config: config, maxBatch: 2 * maxPairs, threads: threads)
    model.parameters = parameters
  }

  /// (log πref(chosen), log πref(rejected)) for `pairs[i]` at each of
  /// `indices`; `key` separates datasets (train pairs vs held-out pairs).
  func logProbs(_ pairs: [PreferencePair], _ indices: [Int], key: Int) -> [(Double, Double)] {
    let missing = Array(Set(indices.filter { chosen[key &* 1_000_003 &+ $0] == nil })).sorted()
    var start = 0
    let per = model.maxBatch / 2
    while start < missing.count {
      let chunk = Array(missing[start..<min(missing.count, start + per)])
      let items =
        chunk.map { PromptCompletion(prompt: pairs[$0].prompt, completion: pairs[$0].chosen) }
        + chunk.map { PromptCompletion(prompt: pairs[$0].prompt, completion: pairs[$0].rejected) }
      let lp = model.sequenceLogProbs(SequenceBatch(items, context: model.config.context))
      for (j, index) in chunk.enumerated() {
        chosen[key &* 1_000_003 &+ index] = lp[j]
        rejected[key &* 1_000_003 &+ index] = lp[chunk.count + j]
      }
      computedSequences += items.count
      start += per
    }
    return indices.map {
      (chosen[key &* 1_000_003 &+ $0] ?? .nan, rejected[key &* 1_000_003 &+ $0] ?? .nan)
    }
  }
}

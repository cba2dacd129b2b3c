/// log πref(y|x) for the chosen and rejected side of preference pairs,
/// computed by a frozen copy of the reference model on first use and kept
/// for the rest of the run (and, with a `ReferenceCache`, shared with the
/// other runs of a sweep).
///
/// A sequence's log-prob does not depend on what it is batched or padded
/// with (every kernel computes a row from that row and earlier positions
/// only, in a fixed order), so lazily computed values are the values an
/// up-front pass would give, a resumed run recomputes them bit-for-bit, and
/// a value another run computed (same reference, kernels and build) is the
/// value this run would compute.
final class ReferenceLogProbs {
  /// The frozen reference (also scores per-token and greedy log-probs at evaluation).
  let model: TinyTransformer
  /// Values shared with other runs, if any.
  let shared: ReferenceCache?
  private var chosen: [Int: Double] = [:]
  private var rejected: [Int: Double] = [:]
  /// Forward passes run so far (sequences), for tests.
  private(set) var computedSequences = 0
  /// Sequences taken from `shared` instead of computed, for tests.
  private(set) var sharedSequences = 0

  /// A frozen reference with `parameters`; with `cacheRoot` (`--ref-cache`),
  /// values are shared through that directory with the other runs using the
  /// same reference (this run's file named after `runName`). A cache that
  /// cannot be used is warned about and left out.
  init(
    config: ModelConfig, parameters: [Float], maxPairs: Int, threads: Int,
    cacheRoot: String? = nil, runName: String = "run",
    warn: @escaping (String) -> Void = ReferenceCache.warnOnStderr
  ) {
    let model = TinyTransformer(config: config, maxBatch: 2 * maxPairs, threads: threads)
    model.parameters = parameters
    self.model = model
    shared = cacheRoot.flatMap { root in
      ReferenceCache(
        root: root,
        fingerprint: ReferenceCacheIdentity.fingerprint(
          model: config, parameters: parameters, kernels: model.kernelPath),
        runName: runName, warn: warn)
    }
  }

  /// (log πref(chosen), log πref(rejected)) for `pairs[i]` at each of
  /// `indices`; `key` separates datasets (train pairs vs held-out pairs).
  func logProbs(_ pairs: [PreferencePair], _ indices: [Int], key: Int) -> [(Double, Double)] {
    func slot(_ index: Int) -> Int { key &* 1_000_003 &+ index }
    var missing = Array(Set(indices.filter { chosen[slot($0)] == nil })).sorted()
    var keys: [Int: StableHash128] = [:]
    if let shared, !missing.isEmpty {
      let pairKeys = missing.map { ReferenceCacheIdentity.key(pairs[$0]) }
      // Look at the peers' files only when they may hold something new for us.
      if pairKeys.contains(where: { shared.value($0) == nil }) { shared.refresh() }
      var still: [Int] = []
      for (index, k) in zip(missing, pairKeys) {
        if let (c, r) = shared.value(k) {
          chosen[slot(index)] = c
          rejected[slot(index)] = r
          sharedSequences += 2
        } else {
          still.append(index)
          keys[index] = k
        }
      }
      missing = still
    }
    var computed: [ReferenceCacheRecord] = []
    var start = 0
    let per = model.maxBatch / 2
    while start < missing.count {
      let chunk = Array(missing[start..<min(missing.count, start + per)])
      let items =
        chunk.map { PromptCompletion(prompt: pairs[$0].prompt, completion: pairs[$0].chosen) }
        + chunk.map { PromptCompletion(prompt: pairs[$0].prompt, completion: pairs[$0].rejected) }
      let lp = model.sequenceLogProbs(SequenceBatch(items, context: model.config.context))
      for (j, index) in chunk.enumerated() {
        chosen[slot(index)] = lp[j]
        rejected[slot(index)] = lp[chunk.count + j]
        if let k = keys[index] {
          computed.append(
            ReferenceCacheRecord(key: k, chosen: lp[j], rejected: lp[chunk.count + j]))
        }
      }
      computedSequences += items.count
      start += per
    }
    shared?.append(computed)
    return indices.map { (chosen[slot($0)] ?? .nan, rejected[slot($0)] ?? .nan) }
  }
}

import KernelSupport
import RunLog

/// DPO, DPOP, IPO and SLiC: each step scores `batch` random training pairs
/// (chosen and rejected in one forward pass), evaluates the objective on the
/// summed completion log-probs against the cached reference log-probs, and
/// backpropagates the objective's per-sequence gradients.
struct PreferenceStepper: ObjectiveStepper {
  let data: PreferenceDataset
  let objective: ObjectiveConfig
  let batch: Int
  let seed: UInt64
  let evalSamples: Int
  let evalPairs: Int
  /// Held-out pairs logged token by token (the first `probes`).
  let probes: Int
  /// Samples per prompt for best-of-N at each evaluation (0: none).
  let bestOf: Int
  /// Prompts best-of-N samples: the first this many of the decoded ones.
  let bestOfPrompts: Int
  let reference: ReferenceLogProbs
  let referenceTokens: ReferenceTokenLogProbs
  /// The probes of the last evaluation, for the loop to write.
  var pendingProbes: [ProbeRecord] = []

  static let trainKey = 0
  static let heldOutKey = 1

  mutating func step(_ step: Int, model: TinyTransformer) -> StepResult {
    let picks = batchIndices(count: batch, size: data.train.count, seed: seed, step: step)
    let refs = StepProfile.exclusive(.referenceForward) {
      reference.logProbs(data.train, picks, key: Self.trainKey)
    }
    let (loss, seqs) = score(data.train, picks, refs: refs, model: model)
    var upstream = loss.dPolicyChosen
    upstream += loss.dPolicyRejected
    model.sequenceLogProbsBackward(seqs, upstream: upstream)
    return StepResult(
      loss: loss.loss, metrics: loss.metrics.filter { $0.0 != MetricKey.loss },
      tokens: realTokens(seqs))
  }

  /// The objective on pairs `picks` of `pairs`, policy log-probs by one forward.
  func score(
    _ pairs: [PreferencePair], _ picks: [Int], refs: [(Double, Double)], model: TinyTransformer
  ) -> (BatchLoss, SequenceBatch) {
    let seqs = prof(.objective) { Self.sequences(pairs, picks, context: model.config.context) }
    let lp = model.sequenceLogProbs(seqs)
    let n = picks.count
    return prof(.objective) {
      let logProbs = (0..<n).map {
        PairLogProbs(
          policyChosen: lp[$0], policyRejected: lp[n + $0], refChosen: refs[$0].0,
          refRejected: refs[$0].1)
      }
      return (objective.evaluate(batch: logProbs), seqs)
    }
  }

  /// The chosen completions of `picks`, then their rejected ones, as one batch.
  static func sequences(_ pairs: [PreferencePair], _ picks: [Int], context: Int) -> SequenceBatch {
    let items =
      picks.map { PromptCompletion(prompt: pairs[$0].prompt, completion: pairs[$0].chosen) }
      + picks.map { PromptCompletion(prompt: pairs[$0].prompt, completion: pairs[$0].rejected) }
    return SequenceBatch(items, context: context)
  }
}

extension Trainer {
  /// Builds the preference objective's stepper: loads the pairs and sets up
  /// the reference log-prob cache from the starting (reference) weights.
  static func makePreferenceStepper(
    _ config: TrainingConfig, model: TinyTransformer, runName: String
  ) throws -> (any ObjectiveStepper, DatasetInfo) {
    guard let kind = PreferenceObjective(rawValue: config.objective.rawValue) else {
      throw TrainingError(
        .badOption(
          name: "objective", reason: "\(config.objective.rawValue) is not a preference objective"))
    }
    let objective = ObjectiveConfig(objective: kind, beta: config.beta, lambda: config.lambda)
    try objective.validate()
    let data = try DatasetSource.preferences(
      config.data, trainCount: config.trainCount, heldOutCount: config.heldOutCount,
      seed: config.seed)
    guard !data.train.isEmpty else {
      throw TrainingError(.badOption(name: "data", reason: "\(config.data) has no training pairs"))
    }
    let info = DatasetInfo(
      name: data.name, path: BuiltinDataset(rawValue: config.data) == nil ? config.data : nil,
      examples: data.train.count, heldOut: data.heldOut.count,
      meanEditDistance: data.meanEditDistance)
    let refWeights = try Checkpoint.read(from: config.reference ?? "").parameters
    let reference = ReferenceLogProbs(
      config: model.config, parameters: refWeights, maxPairs: config.batch,
      threads: config.threads, cacheRoot: config.referenceCache, runName: runName)
    let stepper = PreferenceStepper(
      data: data, objective: objective, batch: config.batch, seed: config.seed,
      evalSamples: config.evalSamples, evalPairs: config.evalLossRows, probes: config.probes,
      bestOf: config.bestOf, bestOfPrompts: config.bestOfPrompts, reference: reference,
      referenceTokens: ReferenceTokenLogProbs(reference: reference))
    return (stepper, info)
  }
}

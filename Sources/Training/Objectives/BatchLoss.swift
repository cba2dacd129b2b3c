import RunLog

/// A batch's mean loss, the gradient of that mean, and TRL-named batch-mean metrics.
public struct BatchLoss: Sendable {
  /// Mean loss over the batch.
  public var loss: Double
  /// ∂(mean loss)/∂πc for each pair (the per-pair gradient divided by the batch size).
  public var dPolicyChosen: [Double]
  /// ∂(mean loss)/∂πr for each pair.
  public var dPolicyRejected: [Double]
  /// Batch means, in logging order: `loss`, `rewards/chosen`, `rewards/rejected`,
  /// `rewards/margins`, `rewards/accuracies`, `logps/chosen`, `logps/rejected`,
  /// `logps/ref_chosen`, `logps/ref_rejected`, `dpop/penalty` (keys from `MetricKey`).
  public var metrics: [(String, Double)]

  /// The value logged under `key`, if any.
  public subscript(key: String) -> Double? {
    metrics.first(where: { $0.0 == key })?.1
  }
}

extension ObjectiveConfig {
  /// Evaluates every pair and averages: the trainer back-propagates
  /// `dPolicyChosen[i]` / `dPolicyRejected[i]` into pair i's sequence log-probs.
  /// An empty batch gives loss 0, no gradients and all-zero metrics.
  public func evaluate(batch: [PairLogProbs]) -> BatchLoss {
    let count = Double(max(batch.count, 1))
    var sums = [Double](repeating: 0, count: 10)
    var dChosen: [Double] = []
    var dRejected: [Double] = []
    dChosen.reserveCapacity(batch.count)
    dRejected.reserveCapacity(batch.count)
    for pair in batch {
      let result = evaluate(pair)
      dChosen.append(result.dPolicyChosen / count)
      dRejected.append(result.dPolicyRejected / count)
      let values = [
        result.loss, result.stats.rewardChosen, result.stats.rewardRejected, result.stats.margin,
        result.stats.accuracy, pair.policyChosen, pair.policyRejected, pair.refChosen,
        pair.refRejected, result.stats.penalty,
      ]
      for index in values.indices { sums[index] += values[index] }
    }
    let keys = [
      MetricKey.loss, MetricKey.rewardsChosen, MetricKey.rewardsRejected, MetricKey.rewardsMargins,
      MetricKey.rewardsAccuracies, MetricKey.logpsChosen, MetricKey.logpsRejected,
      MetricKey.logpsRefChosen, MetricKey.logpsRefRejected, MetricKey.dpopPenalty,
    ]
    let metrics = zip(keys, sums).map { ($0, $1 / count) }
    return BatchLoss(
      loss: sums[0] / count, dPolicyChosen: dChosen, dPolicyRejected: dRejected, metrics: metrics)
  }
}

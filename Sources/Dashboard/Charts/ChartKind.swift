/// The charts of the main view, in screen order.
public enum ChartKind: Int, Sendable, CaseIterable {
  /// Policy log-probs of chosen and rejected, the reference's dimmer.
  case logps
  /// log πθ(yw|x) − log πref(yw|x): below zero is the failure mode.
  case chosenLogRatio
  /// Implicit rewards chosen / rejected and their margin.
  case rewards
  /// DPOP's penalty max(0, log πref − log πθ) of the chosen completion.
  case penalty
  /// The objective's loss (train, and held-out when logged).
  case loss
  /// Reward accuracy and held-out accuracy.
  case accuracy
  /// Held-out chosen log-ratio split at the first difference: the shared
  /// prefix's part and the part from the edit on.
  case likelihoodSplit
  /// Held-out log-ratios of chosen, rejected and the policy's greedy decode.
  case squeezing
  /// Held-out greedy, best-of-N and sample accuracy (percent) with the
  /// best-of-N sample's log-ratio: does the mass go to right answers?
  case sharpening

  /// The chart's title.
  var title: String {
    switch self {
    case .logps: return "log-probs chosen/rejected"
    case .chosenLogRatio: return "chosen log-ratio (policy - ref)"
    case .rewards: return "rewards chosen/rejected, margin"
    case .penalty: return "DPOP penalty"
    case .loss: return "loss"
    case .accuracy: return "reward acc. / held-out acc."
    case .likelihoodSplit: return "where the chosen likelihood goes"
    case .squeezing: return "squeezing: held-out log-ratios"
    case .sharpening: return "sharpening: acc. %, bon log-ratio"
    }
  }
}

extension ChartKind {
  /// Charts whose data only some trainers log: an empty one says "not logged".
  var needsProbeMetrics: Bool {
    self == .likelihoodSplit || self == .squeezing || self == .sharpening
  }
}

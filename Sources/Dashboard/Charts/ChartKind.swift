/// The six charts of the main view, in screen order.
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

  /// The chart's title.
  var title: String {
    switch self {
    case .logps: return "log-probs chosen/rejected"
    case .chosenLogRatio: return "chosen log-ratio (policy - ref)"
    case .rewards: return "rewards chosen/rejected, margin"
    case .penalty: return "DPOP penalty"
    case .loss: return "loss"
    case .accuracy: return "reward acc. / held-out acc."
    }
  }
}

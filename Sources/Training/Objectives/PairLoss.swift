/// The four sequence log-probs of one preference pair (sums over completion tokens).
public struct PairLogProbs: Sendable, Equatable {
  /// log πθ(yw|x).
  public var policyChosen: Double
  /// log πθ(yl|x).
  public var policyRejected: Double
  /// log πref(yw|x).
  public var refChosen: Double
  /// log πref(yl|x).
  public var refRejected: Double

  /// Creates the log-probs of one pair.
  public init(policyChosen: Double, policyRejected: Double, refChosen: Double, refRejected: Double)
  {
    self.policyChosen = policyChosen
    self.policyRejected = policyRejected
    self.refChosen = refChosen
    self.refRejected = refRejected
  }

  /// h = (πc − rc) − (πr − rr): how much more the policy prefers chosen than the reference does.
  public var logRatioMargin: Double { (policyChosen - refChosen) - (policyRejected - refRejected) }
}

/// Per-pair statistics, as TRL defines them (before batch averaging).
public struct PairStats: Sendable, Equatable {
  /// β·(πc − rc).
  public var rewardChosen: Double
  /// β·(πr − rr).
  public var rewardRejected: Double
  /// rewardChosen − rewardRejected.
  public var margin: Double
  /// 1 when rewardChosen > rewardRejected (strictly), else 0.
  public var accuracy: Double
  /// max(0, rc − πc): how far the chosen log-prob fell below the reference (before λ).
  public var penalty: Double
}

/// One pair's loss, its gradient with respect to the policy log-probs, and its stats.
public struct PairLoss: Sendable, Equatable {
  /// The objective's value.
  public var loss: Double
  /// ∂loss/∂πc.
  public var dPolicyChosen: Double
  /// ∂loss/∂πr.
  public var dPolicyRejected: Double
  /// Rewards, margin, accuracy, penalty.
  public var stats: PairStats
}

extension ObjectiveConfig {
  /// The loss, gradient and stats of one pair (formulas in `PreferenceObjective`).
  ///
  /// Finite for any finite log-probs: the logistic losses go through
  /// `StableMath`, so margins of ±500 (or ±1e300) neither overflow nor give NaN.
  public func evaluate(_ pair: PairLogProbs) -> PairLoss {
    let h = pair.logRatioMargin
    let shortfall = pair.refChosen - pair.policyChosen
    let penalty = max(0, shortfall)
    let rewardChosen = beta * (pair.policyChosen - pair.refChosen)
    let rewardRejected = beta * (pair.policyRejected - pair.refRejected)
    let stats = PairStats(
      rewardChosen: rewardChosen, rewardRejected: rewardRejected,
      margin: rewardChosen - rewardRejected, accuracy: rewardChosen > rewardRejected ? 1 : 0,
      penalty: penalty)

    // Every loss is f(z) with z linear in (πc, πr); chain through dz/dπc, dz/dπr.
    let loss: Double
    let dChosen: Double
    let dRejected: Double
    switch objective {
    case .dpo:
      let z = beta * h
      let dz = -StableMath.sigmoid(-z)  // d softplus(−z)/dz
      loss = StableMath.logisticLoss(z)
      dChosen = dz * beta
      dRejected = -dz * beta
    case .dpop:
      // Penalty active only strictly below the reference (subgradient 0 at the kink).
      let active: Double = shortfall > 0 ? 1 : 0
      let z = beta * (h - lambda * penalty)
      let dz = -StableMath.sigmoid(-z)
      loss = StableMath.logisticLoss(z)
      dChosen = dz * beta * (1 + lambda * active)
      dRejected = -dz * beta
    case .ipo:
      let d = h - 1 / (2 * beta)
      loss = d * d
      dChosen = 2 * d
      dRejected = -2 * d
    case .slic:
      let u = 1 - beta * h
      loss = max(0, u)
      // Hinge active only strictly inside the margin (subgradient 0 at the kink).
      dChosen = u > 0 ? -beta : 0
      dRejected = u > 0 ? beta : 0
    }
    return PairLoss(loss: loss, dPolicyChosen: dChosen, dPolicyRejected: dRejected, stats: stats)
  }
}

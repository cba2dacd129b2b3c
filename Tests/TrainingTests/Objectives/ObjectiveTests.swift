import RunLog
import Testing

@testable import Training

/// |a − b| within a relative tolerance (values span 1e-218 … 1e5).
private func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
  if a == b { return true }
  return abs(a - b) <= tolerance * max(abs(a), abs(b))
}

private func pair(_ pc: Double, _ pr: Double, _ rc: Double, _ rr: Double) -> PairLogProbs {
  PairLogProbs(policyChosen: pc, policyRejected: pr, refChosen: rc, refRejected: rr)
}

@Suite struct ObjectiveTests {
  @Test func matchesIndependentReferenceValues() {
    #expect(referenceRows.count == 72)
    for row in referenceRows {
      let config = ObjectiveConfig(objective: row.objective, beta: row.beta, lambda: row.lambda)
      let result = config.evaluate(pair(row.pc, row.pr, row.rc, row.rr))
      let context = "\(row.objective) β=\(row.beta) (\(row.pc), \(row.pr), \(row.rc), \(row.rr))"
      #expect(close(result.loss, row.loss), "\(context): loss \(result.loss) vs \(row.loss)")
      #expect(close(result.dPolicyChosen, row.dc), "\(context): dπc \(result.dPolicyChosen)")
      #expect(close(result.dPolicyRejected, row.dr), "\(context): dπr \(result.dPolicyRejected)")
    }
  }

  @Test func gradientsMatchCentralFiniteDifferences() {
    var rng = SplitMix64(seed: 2024)
    var checked = 0
    for objective in PreferenceObjective.allCases {
      for beta in [0.1, 0.3, 1.0] {
        for _ in 0..<40 {
          let values = (0..<4).map { _ in -40 * rng.unit() }
          let p = pair(values[0], values[1], values[2], values[3])
          let config = ObjectiveConfig(objective: objective, beta: beta, lambda: 50)
          let step = 1e-5
          // Skip draws within a step of a kink, where central differences straddle it.
          if abs(p.refChosen - p.policyChosen) < 10 * step { continue }
          if abs(1 - beta * p.logRatioMargin) < 10 * step * beta { continue }
          let analytic = config.evaluate(p)
          var up = p
          var down = p
          up.policyChosen += step
          down.policyChosen -= step
          let fdChosen = (config.evaluate(up).loss - config.evaluate(down).loss) / (2 * step)
          up = p
          down = p
          up.policyRejected += step
          down.policyRejected -= step
          let fdRejected = (config.evaluate(up).loss - config.evaluate(down).loss) / (2 * step)
          #expect(
            abs(fdChosen - analytic.dPolicyChosen) <= 1e-6 * max(1, abs(fdChosen)),
            "\(objective) β=\(beta) \(p): fd \(fdChosen) vs \(analytic.dPolicyChosen)")
          #expect(
            abs(fdRejected - analytic.dPolicyRejected) <= 1e-6 * max(1, abs(fdRejected)),
            "\(objective) β=\(beta) \(p): fd \(fdRejected) vs \(analytic.dPolicyRejected)")
          checked += 1
        }
      }
    }
    #expect(checked > 400)
  }

  @Test func hugeMarginsGiveFiniteLossAndGradients() {
    for objective in PreferenceObjective.allCases {
      for beta in [0.1, 0.3, 1.0, 10.0] {
        let config = ObjectiveConfig(objective: objective, beta: beta)
        // IPO is a square: finite up to |h| ≈ 1e154; the others for any finite h.
        let scales: [Double] = objective == .ipo ? [500, 1e6, 1e100] : [500, 1e6, 1e100, 1e300]
        for scale in scales {
          for p in [pair(0, -scale, 0, 0), pair(-scale, 0, 0, 0), pair(0, 0, scale, -scale)] {
            let result = config.evaluate(p)
            #expect(
              result.loss.isFinite && result.loss >= 0, "\(objective) \(p) loss \(result.loss)")
            #expect(result.dPolicyChosen.isFinite && result.dPolicyRejected.isFinite)
          }
        }
      }
    }
    // The saturated ends are exact: DPO at h = −500, β = 1 is 500 with slope −1.
    let dpo = ObjectiveConfig(objective: .dpo, beta: 1).evaluate(pair(-500, 0, 0, 0))
    #expect(dpo.loss == 500 && dpo.dPolicyChosen == -1 && dpo.dPolicyRejected == 1)
  }

  @Test func dpopWithoutPenaltyEqualsDPO() {
    var rng = SplitMix64(seed: 77)
    for beta in [0.1, 0.3, 1.0] {
      for _ in 0..<50 {
        // Policy chosen at or above the reference: the penalty is 0.
        let rc = -30 * rng.unit()
        let p = pair(rc + 5 * rng.unit(), -30 * rng.unit(), rc, -30 * rng.unit())
        let dpo = ObjectiveConfig(objective: .dpo, beta: beta).evaluate(p)
        let dpop = ObjectiveConfig(objective: .dpop, beta: beta, lambda: 50).evaluate(p)
        #expect(dpop == dpo)
        #expect(dpop.stats.penalty == 0)
      }
    }
    // Exactly at the kink (policy = reference) the subgradient 0 is used: DPOP's step is DPO's.
    let start = pair(-12, -15, -12, -15)
    #expect(
      ObjectiveConfig(objective: .dpop, beta: 0.3).evaluate(start)
        == ObjectiveConfig(objective: .dpo, beta: 0.3).evaluate(start))
    // Any λ = 0 DPOP is DPO, penalty or not.
    let below = pair(-20, -15, -12, -15)
    let dpop0 = ObjectiveConfig(objective: .dpop, beta: 0.3, lambda: 0).evaluate(below)
    #expect(dpop0 == ObjectiveConfig(objective: .dpo, beta: 0.3).evaluate(below))
    #expect(dpop0.stats.penalty == 8)
  }

  @Test func dpopPushesChosenUpHarderBelowTheReference() {
    let below = pair(-14, -20, -12.5, -15)
    let dpo = ObjectiveConfig(objective: .dpo, beta: 0.3).evaluate(below)
    let dpop = ObjectiveConfig(objective: .dpop, beta: 0.3, lambda: 50).evaluate(below)
    #expect(dpop.dPolicyChosen < dpo.dPolicyChosen * 10)
    #expect(dpop.loss > dpo.loss)
  }

  @Test func ipoMinimumIsAtHalfInverseBeta() {
    for beta in [0.1, 0.3, 1.0] {
      let config = ObjectiveConfig(objective: .ipo, beta: beta)
      let target = 1 / (2 * beta)
      let atMinimum = config.evaluate(pair(target - 3, -3, 0, 0))
      #expect(abs(atMinimum.loss) < 1e-24)
      #expect(abs(atMinimum.dPolicyChosen) < 1e-12 && abs(atMinimum.dPolicyRejected) < 1e-12)
      for offset in [-1.0, -0.01, 0.01, 1.0] {
        let other = config.evaluate(pair(target + offset - 3, -3, 0, 0))
        #expect(other.loss > atMinimum.loss)
        #expect(close(other.loss, offset * offset, 1e-9))
      }
    }
  }

  @Test func slicIsZeroPastTheMarginAndLinearInside() {
    let config = ObjectiveConfig(objective: .slic, beta: 0.5)
    let past = config.evaluate(pair(0, -3, 0, 0))  // β·h = 1.5
    #expect(past.loss == 0 && past.dPolicyChosen == 0 && past.dPolicyRejected == 0)
    let kink = config.evaluate(pair(0, -2, 0, 0))  // β·h = 1 exactly: subgradient 0
    #expect(kink.loss == 0 && kink.dPolicyChosen == 0)
    let inside = config.evaluate(pair(0, -1, 0, 0))  // β·h = 0.5
    #expect(inside.loss == 0.5 && inside.dPolicyChosen == -0.5 && inside.dPolicyRejected == 0.5)
  }

  @Test func perPairStatsFollowTRL() {
    let result = ObjectiveConfig(objective: .dpop, beta: 0.5).evaluate(pair(-14, -20, -12, -15))
    #expect(result.stats.rewardChosen == -1)
    #expect(result.stats.rewardRejected == -2.5)
    #expect(result.stats.margin == 1.5)
    #expect(result.stats.accuracy == 1)
    #expect(result.stats.penalty == 2)
    let tie = ObjectiveConfig(objective: .dpo, beta: 0.5).evaluate(pair(-3, -4, -3, -4))
    #expect(tie.stats.accuracy == 0)  // strict >, as TRL: a tie is not a win
  }

  @Test func batchAveragesLossGradientsAndMetrics() {
    let config = ObjectiveConfig(objective: .dpop, beta: 0.3, lambda: 50)
    let pairs = [pair(-10, -12, -11, -11.5), pair(-14, -20, -12.5, -15), pair(-8, -9, -8, -9)]
    let batch = config.evaluate(batch: pairs)
    let singles = pairs.map { config.evaluate($0) }
    #expect(close(batch.loss, singles.map(\.loss).reduce(0, +) / 3, 1e-15))
    for index in pairs.indices {
      #expect(close(batch.dPolicyChosen[index], singles[index].dPolicyChosen / 3, 1e-15))
      #expect(close(batch.dPolicyRejected[index], singles[index].dPolicyRejected / 3, 1e-15))
    }
    #expect(
      batch.metrics.map(\.0) == [
        "loss", "rewards/chosen", "rewards/rejected", "rewards/margins", "rewards/accuracies",
        "logps/chosen", "logps/rejected", "logps/ref_chosen", "logps/ref_rejected", "dpop/penalty",
      ])
    #expect(batch[MetricKey.loss] == batch.loss)
    #expect(close(batch[MetricKey.logpsChosen] ?? 0, -32.0 / 3, 1e-15))
    #expect(close(batch[MetricKey.logpsRefRejected] ?? 0, -35.5 / 3, 1e-15))
    #expect(close(batch[MetricKey.dpopPenalty] ?? 0, 0.5, 1e-15))
    #expect(close(batch[MetricKey.rewardsAccuracies] ?? 0, 2.0 / 3, 1e-15))
    #expect(close(batch[MetricKey.rewardsChosen] ?? 0, 0.3 * (1 - 1.5 + 0) / 3, 1e-12))
    #expect(
      close(
        batch[MetricKey.rewardsMargins] ?? 0,
        (batch[MetricKey.rewardsChosen] ?? 0) - (batch[MetricKey.rewardsRejected] ?? 0), 1e-12))
    let empty = config.evaluate(batch: [])
    #expect(empty.loss == 0 && empty.dPolicyChosen.isEmpty && empty.metrics.count == 10)
  }

  @Test func validationRefusesBadBetaAndLambda() {
    #expect(throws: ObjectiveError.self) {
      try ObjectiveConfig(objective: .dpo, beta: 0).validate()
    }
    #expect(throws: ObjectiveError.self) {
      try ObjectiveConfig(objective: .dpo, beta: .nan).validate()
    }
    #expect(throws: ObjectiveError.self) {
      try ObjectiveConfig(objective: .dpop, beta: 0.1, lambda: -1).validate()
    }
    #expect(throws: Never.self) { try ObjectiveConfig(objective: .dpop, beta: 0.1).validate() }
    let error = ObjectiveError(field: "beta", reason: "must be a finite number > 0 (got 0.0)")
    #expect(error.description == "--beta: must be a finite number > 0 (got 0.0)")
    #expect(PreferenceObjective(rawValue: "slic")?.trlLossType == "hinge")
    #expect(PreferenceObjective.dpop.trlLossType == nil)
  }

  @Test func stableMathTails() {
    #expect(StableMath.softplus(1000) == 1000)
    #expect(StableMath.softplus(-1000) == 0)
    #expect(close(StableMath.softplus(-40), 4.248354255291589e-18, 1e-12))
    #expect(StableMath.softplus(0) == 0.6931471805599453)
    #expect(StableMath.sigmoid(1000) == 1 && StableMath.sigmoid(-1000) == 0)
    #expect(StableMath.sigmoid(.infinity) == 1 && StableMath.sigmoid(-.infinity) == 0)
    #expect(StableMath.softplus(.infinity) == .infinity && StableMath.softplus(-.infinity) == 0)
    #expect(close(StableMath.sigmoid(-30), 9.357622968839299e-14, 1e-12))
  }
}

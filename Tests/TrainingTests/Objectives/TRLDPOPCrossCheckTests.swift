import Foundation
import Testing

@testable import Training

/// dpotop's DPOP (`PairLoss`) against the TRL integration's
/// (`integrations/trl/dpotop_trl/loss.py`) on the same log-probs: the
/// integration's float64 loss, gradients and penalty per pair are in
/// `integrations/trl/tests/dpop_cases.json` (its `test_loss.py` keeps that
/// file equal to what the integration computes); here dpotop evaluates the
/// same inputs and must agree to 1e-6 (relative to the value's size when
/// it exceeds 1).
@Suite struct TRLDPOPCrossCheckTests {
  struct Case: Decodable {
    let beta: Double
    let lambda: Double
    let policy_chosen: Double
    let policy_rejected: Double
    let ref_chosen: Double
    let ref_rejected: Double
    let loss: Double
    let d_policy_chosen: Double
    let d_policy_rejected: Double
    let penalty: Double
  }

  struct File: Decodable { let cases: [Case] }

  @Test func pairLossMatchesTheTRLIntegration() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()  // Objectives
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let path = root.appendingPathComponent("integrations/trl/tests/dpop_cases.json")
    let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: path))
    #expect(file.cases.count >= 30)
    var worst = 0.0
    for c in file.cases {
      let config = ObjectiveConfig(objective: .dpop, beta: c.beta, lambda: c.lambda)
      let got = config.evaluate(
        PairLogProbs(
          policyChosen: c.policy_chosen, policyRejected: c.policy_rejected,
          refChosen: c.ref_chosen, refRejected: c.ref_rejected))
      let pairs = [
        ("loss", got.loss, c.loss), ("dπc", got.dPolicyChosen, c.d_policy_chosen),
        ("dπr", got.dPolicyRejected, c.d_policy_rejected),
        ("penalty", got.stats.penalty, c.penalty),
      ]
      for (name, mine, theirs) in pairs {
        let error = abs(mine - theirs) / max(1, abs(theirs))
        worst = max(worst, error)
        #expect(error <= 1e-6, "\(name) β=\(c.beta) \(c.policy_chosen): \(mine) vs TRL \(theirs)")
      }
    }
    #expect(worst <= 1e-6)
  }
}

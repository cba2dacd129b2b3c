/// The preference objectives and their settings.
///
/// Every objective is a function of the four sequence log-probs of a pair
/// (log-probs summed over completion tokens): πc = log πθ(yw|x),
/// πr = log πθ(yl|x), rc = log πref(yw|x), rr = log πref(yl|x), through
/// h = (πc − rc) − (πr − rr):
///
/// | objective | loss | TRL `loss_type` |
/// | --- | --- | --- |
/// | `dpo`  | −log σ(β·h) = softplus(−β·h) | `sigmoid` |
/// | `dpop` | −log σ(β·(h − λ·max(0, rc − πc))) | (none) |
/// | `ipo`  | (h − 1/(2β))² | `ipo` (TRL length-normalises; we use sums) |
/// | `slic` | max(0, 1 − β·h) | `hinge` |
///
/// At the kinks of max(0, ·) (rc = πc for DPOP, β·h = 1 for SLiC) the
/// subgradient 0 is used: the penalty / hinge counts as inactive, so at the
/// start of training (policy = reference) DPOP's gradient is exactly DPO's.
public enum PreferenceObjective: String, Sendable, CaseIterable {
  /// Direct Preference Optimisation (sigmoid loss).
  case dpo
  /// DPO-Positive: DPO with a penalty for lowering the chosen log-prob below the reference.
  case dpop
  /// Identity Preference Optimisation (squared loss around a margin of 1/(2β)).
  case ipo
  /// SLiC / hinge loss.
  case slic

  /// The name TRL's DPOTrainer uses for this loss, if it has one.
  public var trlLossType: String? {
    switch self {
    case .dpo: return "sigmoid"
    case .dpop: return nil
    case .ipo: return "ipo"
    case .slic: return "hinge"
    }
  }
}

/// An objective with its hyper-parameters.
public struct ObjectiveConfig: Sendable, Equatable {
  /// The paper's DPOP penalty weight.
  public static let defaultLambda = 50.0

  /// Which loss.
  public var objective: PreferenceObjective
  /// β: the strength of the implicit KL regularisation (> 0).
  public var beta: Double
  /// λ: the DPOP penalty weight (≥ 0; ignored by the other objectives).
  public var lambda: Double

  /// Creates a configuration; call `validate()` on user input.
  public init(objective: PreferenceObjective, beta: Double, lambda: Double = defaultLambda) {
    self.objective = objective
    self.beta = beta
    self.lambda = lambda
  }

  /// Throws unless β is finite and > 0 and λ is finite and ≥ 0.
  public func validate() throws {
    guard beta.isFinite, beta > 0 else {
      throw ObjectiveError(field: "beta", reason: "must be a finite number > 0 (got \(beta))")
    }
    guard lambda.isFinite, lambda >= 0 else {
      throw ObjectiveError(field: "lambda", reason: "must be a finite number >= 0 (got \(lambda))")
    }
  }
}

/// A bad objective setting, naming the option.
public struct ObjectiveError: Error, CustomStringConvertible, Sendable, Equatable {
  /// The option at fault (`beta`, `lambda`).
  public let field: String
  /// Why it is refused.
  public let reason: String

  /// One line, e.g. `--beta: must be a finite number > 0 (got 0.0)`.
  public var description: String { "--\(field): \(reason)" }
}

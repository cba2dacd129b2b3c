/// What a run optimises.
public enum Objective: String, Sendable, Codable, CaseIterable {
  /// Supervised fine-tuning: next-token cross-entropy on completions.
  case sft
  /// Direct Preference Optimisation (sigmoid loss).
  case dpo
  /// DPO-Positive: DPO with a penalty for lowering the chosen log-prob.
  case dpop
  /// Identity Preference Optimisation (squared loss on the margin).
  case ipo
  /// SLiC: hinge loss on the margin.
  case slic

  /// Whether the objective trains on preference pairs.
  public var isPreference: Bool { self != .sft }
}

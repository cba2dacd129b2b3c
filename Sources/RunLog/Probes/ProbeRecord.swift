/// One probe at one evaluation: a held-out preference pair with the
/// per-token log-probabilities of both completions under the policy and the
/// reference (one line of `probes.jsonl`, docs/run-format.md).
///
/// Token `i` of a completion is the i-th scored target: the completion's
/// characters and then the closing end-of-sequence token, so each array sums
/// to the sequence log-prob the trainer logs as `logps/chosen` etc.
public struct ProbeRecord: Sendable, Equatable {
  /// The evaluation's step.
  public var step: Int
  /// 0-based probe index (the probe is the pair-th held-out pair).
  public var pair: Int
  /// The prompt text.
  public var prompt: String
  /// The completions' tokens as text (the end token as `ProbeRecord.endToken`).
  public var chosenTokens: [String]
  public var rejectedTokens: [String]
  /// log πθ of each token.
  public var chosenLogps: [Double]
  public var rejectedLogps: [Double]
  /// log πref of each token.
  public var chosenRefLogps: [Double]
  public var rejectedRefLogps: [Double]
  /// Index of the first token where the completions differ (the shorter
  /// length when one is a prefix of the other).
  public var firstDiff: Int

  /// How the end-of-sequence token is written in the token arrays.
  public static let endToken = "</s>"

  /// A record; the arrays must match in length (the reader checks files).
  public init(
    step: Int, pair: Int, prompt: String, chosenTokens: [String], rejectedTokens: [String],
    chosenLogps: [Double], rejectedLogps: [Double], chosenRefLogps: [Double],
    rejectedRefLogps: [Double], firstDiff: Int
  ) {
    self.step = step
    self.pair = pair
    self.prompt = prompt
    self.chosenTokens = chosenTokens
    self.rejectedTokens = rejectedTokens
    self.chosenLogps = chosenLogps
    self.rejectedLogps = rejectedLogps
    self.chosenRefLogps = chosenRefLogps
    self.rejectedRefLogps = rejectedRefLogps
    self.firstDiff = firstDiff
  }

  /// The index of the first position where `a` and `b` differ, or the
  /// shorter length when one is a prefix of the other (identical: the length).
  public static func firstDifference<T: Equatable>(_ a: [T], _ b: [T]) -> Int {
    let n = min(a.count, b.count)
    for i in 0..<n where a[i] != b[i] { return i }
    return n
  }
}

/// Δ = log πθ − log πref totals of one completion of a probe.
public struct ProbeDeltaTotals: Sendable, Equatable {
  /// Over the tokens before `firstDiff` (shared with the other completion).
  public var prefix: Double
  /// Over the tokens from `firstDiff` on.
  public var fromEdit: Double
  /// Over all tokens.
  public var whole: Double { prefix + fromEdit }
}

extension ProbeRecord {
  /// Δ per token of the chosen completion.
  public var chosenDeltas: [Double] { zip(chosenLogps, chosenRefLogps).map { $0 - $1 } }
  /// Δ per token of the rejected completion.
  public var rejectedDeltas: [Double] { zip(rejectedLogps, rejectedRefLogps).map { $0 - $1 } }

  /// The chosen completion's Δ split at `firstDiff`.
  public var chosenTotals: ProbeDeltaTotals { Self.totals(chosenDeltas, firstDiff) }
  /// The rejected completion's Δ split at `firstDiff`.
  public var rejectedTotals: ProbeDeltaTotals { Self.totals(rejectedDeltas, firstDiff) }

  static func totals(_ deltas: [Double], _ cut: Int) -> ProbeDeltaTotals {
    let k = max(0, min(cut, deltas.count))
    return ProbeDeltaTotals(
      prefix: deltas[..<k].reduce(0, +), fromEdit: deltas[k...].reduce(0, +))
  }
}

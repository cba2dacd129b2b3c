import Foundation

/// Overflow-free forms of the logistic functions the objectives are built on.
public enum StableMath {
  /// log(1 + eˣ), computed as max(x, 0) + log1p(e^−|x|) so that neither a large
  /// positive x (eˣ overflows) nor a large negative x (1 + eˣ rounds to 1 and
  /// loses the tail) goes wrong. softplus(±∞) = ∞ / 0; NaN stays NaN.
  public static func softplus(_ x: Double) -> Double {
    if x.isNaN { return x }
    return max(x, 0) + log1p(exp(-abs(x)))
  }

  /// 1 / (1 + e^−x), evaluated so the exponential is never of a positive
  /// number: exact 0 and 1 in the far tails, never NaN for finite or infinite x.
  public static func sigmoid(_ x: Double) -> Double {
    if x >= 0 { return 1 / (1 + exp(-x)) }
    let e = exp(x)
    return e / (1 + e)
  }

  /// −log σ(x) = softplus(−x), the logistic loss of a margin x.
  public static func logisticLoss(_ x: Double) -> Double { softplus(-x) }
}

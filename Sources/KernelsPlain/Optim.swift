import KernelSupport

extension Suite {
  /// Σ x² accumulated in Double, in index order (deterministic).
  public static func sumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Double {
    var s = 0.0
    for i in 0..<count {
      let g = Double(x[i])
      s += g * g
    }
    return s
  }

  /// One AdamW update (bias-corrected, decoupled decay) on `count` parameters:
  /// g = grads·clipScale; m = β₁m + (1−β₁)g; v = β₂v + (1−β₂)g²;
  /// p −= lr·(m̂/(√v̂ + eps) + wd·p) with wd applied where `decay` is true.
  public static func adamW(
    params: UnsafeMutablePointer<Float>, grads: UnsafePointer<Float>,
    m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>,
    decay: UnsafePointer<Bool>, count: Int, hyper h: AdamWStep
  ) {
    let b1 = h.beta1
    let b2 = h.beta2
    for i in 0..<count {
      let g = grads[i] * h.clipScale
      let mi = b1 * m[i] + (1 - b1) * g
      let vi = b2 * v[i] + (1 - b2) * g * g
      m[i] = mi
      v[i] = vi
      let mhat = mi / h.correction1
      let vhat = vi / h.correction2
      let wd: Float = decay[i] ? h.weightDecay : 0
      params[i] -= h.lr * (mhat / (vhat.squareRoot() + h.eps) + wd * params[i])
    }
  }
}

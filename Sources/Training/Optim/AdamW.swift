import Foundation

/// AdamW hyper-parameters.
public struct AdamWConfig: Sendable, Equatable, Codable {
  /// First-moment decay.
  public var beta1: Float = 0.9
  /// Second-moment decay.
  public var beta2: Float = 0.999
  /// Denominator guard.
  public var eps: Float = 1e-8
  /// Decoupled weight decay, applied to the matrices only (see `decayMask`).
  public var weightDecay: Float = 0.0
  /// Global gradient-norm clip (≤ 0 disables clipping).
  public var clipNorm: Float = 1.0

  /// Creates a configuration with the given overrides.
  public init(weightDecay: Float = 0.0, clipNorm: Float = 1.0) {
    self.weightDecay = weightDecay
    self.clipNorm = clipNorm
  }
}

/// The global L2 norm of `grads`, accumulated in Double (in a fixed order,
/// so it is deterministic).
func gradientNorm(_ grads: UnsafePointer<Float>, count: Int) -> Double {
  var s = 0.0
  for i in 0..<count {
    let g = Double(grads[i])
    s += g * g
  }
  return s.squareRoot()
}

/// One AdamW update (bias-corrected, decoupled decay) on `count` parameters.
///
/// `step` is 1-based. Gradients are scaled by `clipScale` (≤ 1, from the
/// global-norm clip) before entering the moments. Where `decay` is false
/// (LayerNorm gains, biases, embeddings per `decayMask`) no weight decay applies.
func adamWUpdate(
  params: UnsafeMutablePointer<Float>, grads: UnsafePointer<Float>,
  m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>,
  decay: UnsafePointer<Bool>, count: Int, step: Int, lr: Float, clipScale: Float,
  config: AdamWConfig
) {
  let b1 = config.beta1
  let b2 = config.beta2
  let c1 = 1 - powf(b1, Float(step))
  let c2 = 1 - powf(b2, Float(step))
  for i in 0..<count {
    let g = grads[i] * clipScale
    let mi = b1 * m[i] + (1 - b1) * g
    let vi = b2 * v[i] + (1 - b2) * g * g
    m[i] = mi
    v[i] = vi
    let mhat = mi / c1
    let vhat = vi / c2
    let wd: Float = decay[i] ? config.weightDecay : 0
    params[i] -= lr * (mhat / (vhat.squareRoot() + config.eps) + wd * params[i])
  }
}

/// The factor that scales gradients down to `clipNorm` (1 when within it).
func clipScale(norm: Double, clipNorm: Float) -> Float {
  guard clipNorm > 0, norm > Double(clipNorm), norm.isFinite else { return 1 }
  return Float(Double(clipNorm) / norm)
}

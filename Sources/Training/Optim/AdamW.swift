import Foundation
import KernelSupport

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
func gradientNorm(
  _ grads: UnsafePointer<Float>, count: Int, kernels: any KernelSuite.Type = KernelPath.active.suite
) -> Double {
  kernels.sumOfSquares(grads, count: count).squareRoot()
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
  config: AdamWConfig, kernels: any KernelSuite.Type = KernelPath.active.suite, threads: Int = 1
) {
  let hyper = AdamWStep(
    lr: lr, beta1: config.beta1, beta2: config.beta2,
    correction1: 1 - powf(config.beta1, Float(step)),
    correction2: 1 - powf(config.beta2, Float(step)), eps: config.eps,
    weightDecay: config.weightDecay, clipScale: clipScale)
  kernels.adamW(
    params: params, grads: grads, m: m, v: v, decay: decay, count: count, hyper: hyper,
    threads: threads)
}

/// The factor that scales gradients down to `clipNorm` (1 when within it).
func clipScale(norm: Double, clipNorm: Float) -> Float {
  guard clipNorm > 0, norm > Double(clipNorm), norm.isFinite else { return 1 }
  return Float(Double(clipNorm) / norm)
}

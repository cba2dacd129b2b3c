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
  ///
  /// Each parameter's update depends only on its own four values, so the
  /// parameters are split across threads and run eight at a time; every
  /// lane does the scalar formula's operations in the same order (separate
  /// multiplies and adds, IEEE division and square root), so the result is
  /// the same bits as one thread running the scalar loop.
  public static func adamW(
    params: UnsafeMutablePointer<Float>, grads: UnsafePointer<Float>,
    m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>,
    decay: UnsafePointer<Bool>, count: Int, hyper h: AdamWStep, threads: Int
  ) {
    nonisolated(unsafe) let params = params
    nonisolated(unsafe) let m = m
    nonisolated(unsafe) let v = v
    // Below ~64k parameters a thread hand-off costs more than the update.
    parallelChunks(count, threads: threads, granule: 64, minPerThread: 1 << 16) { range in
      adamWRange(
        params: params, grads: grads, m: m, v: v, decay: decay, range: range, hyper: h)
    }
  }
}

/// `adamW` on params[range], eight lanes at a time, then the scalar tail.
private func adamWRange(
  params: UnsafeMutablePointer<Float>, grads: UnsafePointer<Float>,
  m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>,
  decay: UnsafePointer<Bool>, range: Range<Int>, hyper h: AdamWStep
) {
  typealias V = SIMD8<Float>
  let b1 = h.beta1
  let b2 = h.beta2
  let c1 = 1 - b1
  let c2 = 1 - b2
  func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
  func store(_ p: UnsafeMutablePointer<Float>, _ x: V) {
    UnsafeMutableRawPointer(p).storeBytes(of: x, as: V.self)
  }
  var i = range.lowerBound
  while i + 8 <= range.upperBound {
    let g = load(grads + i) * h.clipScale
    let mi = b1 * load(m + i) + c1 * g
    let vi = b2 * load(v + i) + c2 * g * g
    store(m + i, mi)
    store(v + i, vi)
    let mhat = mi / h.correction1
    let vhat = vi / h.correction2
    // Bool is one byte, 0 or 1: as a float, 1·wd = wd and 0·wd = 0 exactly.
    let flags = UnsafeRawPointer(decay + i).loadUnaligned(as: SIMD8<UInt8>.self)
    let wd = V(SIMD8<Int32>(truncatingIfNeeded: flags)) * h.weightDecay
    let p = load(params + i)
    store(params + i, p - h.lr * (mhat / (vhat.squareRoot() + h.eps) + wd * p))
    i += 8
  }
  while i < range.upperBound {
    let g = grads[i] * h.clipScale
    let mi = b1 * m[i] + c1 * g
    let vi = b2 * v[i] + c2 * g * g
    m[i] = mi
    v[i] = vi
    let mhat = mi / h.correction1
    let vhat = vi / h.correction2
    let wd: Float = decay[i] ? h.weightDecay : 0
    params[i] -= h.lr * (mhat / (vhat.squareRoot() + h.eps) + wd * params[i])
    i += 1
  }
}

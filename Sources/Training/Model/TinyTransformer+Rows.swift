import KernelSupport

/// The row- and element-wise kernels spread over the model's threads. Each
/// output element is computed from its own row (or element) alone, so any
/// split gives the same bits; the LayerNorm backward is left whole because
/// its weight gradients sum over rows in a fixed order.
extension TinyTransformer {
  /// Below this many floats a hand-off costs more than it saves.
  private static let splitThreshold = 1 << 15

  func layerNormRows(
    out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>,
    rstd: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>,
    weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, n: Int, c: Int
  ) {
    let kernels = k
    parallelChunks(n, threads: n * c < Self.splitThreshold ? 1 : threads) { r in
      let o = r.lowerBound
      kernels.layerNormForward(
        out: out + o * c, mean: mean + o, rstd: rstd + o, inp: inp + o * c, weight: weight,
        bias: bias, n: r.count, c: c)
    }
  }

  func geluElements(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, n: Int) {
    let kernels = k
    parallelChunks(n, threads: n < Self.splitThreshold ? 1 : threads, granule: 64) { r in
      kernels.geluForward(out: out + r.lowerBound, inp: inp + r.lowerBound, n: r.count)
    }
  }

  func geluBackwardElements(
    dinp: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, dout: UnsafePointer<Float>,
    n: Int
  ) {
    let kernels = k
    parallelChunks(n, threads: n < Self.splitThreshold ? 1 : threads, granule: 64) { r in
      let o = r.lowerBound
      kernels.geluBackward(dinp: dinp + o, inp: inp + o, dout: dout + o, n: r.count)
    }
  }
}

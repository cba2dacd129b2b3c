import KernelSupport

extension Suite {
  /// LayerNorm over the last axis: `out = (inp − mean)·rstd·weight + bias`.
  ///
  /// inp, out: (N, C)  weight, bias: (C)  mean, rstd: (N), saved for backward.
  public static func layerNormForward(
    out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>,
    rstd: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>,
    weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, n: Int, c: Int
  ) {
    let eps: Float = 1e-5
    for r in 0..<n {
      let x = inp + r * c
      var m: Float = 0
      for i in 0..<c { m += x[i] }
      m /= Float(c)
      var v: Float = 0
      for i in 0..<c {
        let d = x[i] - m
        v += d * d
      }
      v /= Float(c)
      let s = 1 / (v + eps).squareRoot()
      let o = out + r * c
      for i in 0..<c { o[i] = (x[i] - m) * s * weight[i] + bias[i] }
      mean[r] = m
      rstd[r] = s
    }
  }

  /// Gradients of `layerNormForward`, accumulated (+=) into dinp (N, C),
  /// dweight (C) and dbias (C).
  public static func layerNormBackward(
    dinp: UnsafeMutablePointer<Float>, dweight: UnsafeMutablePointer<Float>,
    dbias: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>,
    inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>, n: Int, c: Int
  ) {
    for r in 0..<n {
      let x = inp + r * c
      let g = dout + r * c
      let dx = dinp + r * c
      let m = mean[r]
      let s = rstd[r]
      // Two row means the input gradient needs: of dnorm and of dnorm·norm.
      var meanD: Float = 0
      var meanDN: Float = 0
      for i in 0..<c {
        let norm = (x[i] - m) * s
        let dnorm = weight[i] * g[i]
        meanD += dnorm
        meanDN += dnorm * norm
      }
      meanD /= Float(c)
      meanDN /= Float(c)
      for i in 0..<c {
        let norm = (x[i] - m) * s
        let dnorm = weight[i] * g[i]
        dbias[i] += g[i]
        dweight[i] += norm * g[i]
        dx[i] += (dnorm - meanD - norm * meanDN) * s
      }
    }
  }
}

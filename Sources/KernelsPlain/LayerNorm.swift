import KernelSupport

extension Suite {
  /// LayerNorm over the last axis: `out = (inp − mean)·rstd·weight + bias`.
  ///
  /// inp, out: (N, C)  weight, bias: (C)  mean, rstd: (N), saved for backward.
  /// The row sums are vector accumulations (a lane per position, folded at
  /// the end): a scalar sum waits on each add's latency, once per channel.
  public static func layerNormForward(
    out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>,
    rstd: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>,
    weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, n: Int, c: Int
  ) {
    let eps: Float = 1e-5
    let w = VF.scalarCount
    let full = c / w * w
    for r in 0..<n {
      let x = inp + r * c
      var acc = VF()
      var i = 0
      while i < full {
        acc += loadV(x + i)
        i += w
      }
      var m = reduceSum(acc)
      while i < c {
        m += x[i]
        i += 1
      }
      m /= Float(c)
      let vm = VF(repeating: m)
      acc = VF()
      i = 0
      while i < full {
        let d = loadV(x + i) - vm
        acc = madd(acc, d, d)
        i += w
      }
      var v = reduceSum(acc)
      while i < c {
        let d = x[i] - m
        v += d * d
        i += 1
      }
      v /= Float(c)
      let s = 1 / (v + eps).squareRoot()
      let vs = VF(repeating: s)
      let o = out + r * c
      i = 0
      while i < full {
        storeV(o + i, madd(loadV(bias + i), (loadV(x + i) - vm) * vs, loadV(weight + i)))
        i += w
      }
      while i < c {
        o[i] = (x[i] - m) * s * weight[i] + bias[i]
        i += 1
      }
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
    let w = VF.scalarCount
    let full = c / w * w
    for r in 0..<n {
      let x = inp + r * c
      let g = dout + r * c
      let dx = dinp + r * c
      let m = mean[r]
      let s = rstd[r]
      let vm = VF(repeating: m)
      let vs = VF(repeating: s)
      // Two row means the input gradient needs: of dnorm and of dnorm·norm.
      var accD = VF()
      var accDN = VF()
      var i = 0
      while i < full {
        let norm = (loadV(x + i) - vm) * vs
        let dnorm = loadV(weight + i) * loadV(g + i)
        accD += dnorm
        accDN = madd(accDN, dnorm, norm)
        i += w
      }
      var meanD = reduceSum(accD)
      var meanDN = reduceSum(accDN)
      while i < c {
        let norm = (x[i] - m) * s
        let dnorm = weight[i] * g[i]
        meanD += dnorm
        meanDN += dnorm * norm
        i += 1
      }
      meanD /= Float(c)
      meanDN /= Float(c)
      let vD = VF(repeating: meanD)
      let vDN = VF(repeating: meanDN)
      i = 0
      while i < full {
        let gv = loadV(g + i)
        let norm = (loadV(x + i) - vm) * vs
        let dnorm = loadV(weight + i) * gv
        storeV(dbias + i, loadV(dbias + i) + gv)
        storeV(dweight + i, madd(loadV(dweight + i), norm, gv))
        storeV(dx + i, madd(loadV(dx + i), dnorm - vD - norm * vDN, vs))
        i += w
      }
      while i < c {
        let norm = (x[i] - m) * s
        let dnorm = weight[i] * g[i]
        dbias[i] += g[i]
        dweight[i] += norm * g[i]
        dx[i] += (dnorm - meanD - norm * meanDN) * s
        i += 1
      }
    }
  }
}

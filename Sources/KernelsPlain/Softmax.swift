import Foundation
import KernelSupport

extension Suite {
  /// Softmax of one row of `n` logits into `out`, max-subtracted for stability.
  /// Returns log Σ exp(inp) (the log-partition), which cross-entropy reuses.
  @discardableResult
  public static func softmaxForward(
    out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, n: Int
  )
    -> Float
  {
    // Vector maximum and sum (one lane per vector position, folded at the
    // end): a scalar loop here waits on each add's latency, once per element.
    let w = VF.scalarCount
    var vmax = VF(repeating: -.infinity)
    var i = 0
    while i + w <= n {
      vmax = laneMax(vmax, loadV(inp + i))
      i += w
    }
    var mx = reduceMax(vmax)
    while i < n {
      if inp[i] > mx { mx = inp[i] }
      i += 1
    }
    let shift = VF(repeating: mx)
    mapVectors(out, inp, n) { fastExp($0 - shift) }
    var vsum = VF()
    i = 0
    while i + w <= n {
      vsum += loadV(out + i)
      i += w
    }
    var sum = reduceSum(vsum)
    while i < n {
      sum += out[i]
      i += 1
    }
    let inv = VF(repeating: 1 / sum)
    mapVectors(out, out, n) { $0 * inv }
    return mx + logf(sum)
  }

  /// Gradient of `softmaxForward` for one row, accumulated (+=) into dinp:
  /// dinp[i] += out[i]·(dout[i] − Σⱼ out[j]·dout[j]).
  public static func softmaxBackward(
    dinp: UnsafeMutablePointer<Float>, out: UnsafePointer<Float>, dout: UnsafePointer<Float>,
    n: Int
  ) {
    var s: Float = 0
    for j in 0..<n { s += out[j] * dout[j] }
    for i in 0..<n { dinp[i] += out[i] * (dout[i] - s) }
  }
}

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
    var mx = -Float.infinity
    for i in 0..<n where inp[i] > mx { mx = inp[i] }
    let shift = VF(repeating: mx)
    mapVectors(out, inp, n) { fastExp($0 - shift) }
    var sum: Float = 0
    for i in 0..<n { sum += out[i] }
    let inv = 1 / sum
    for i in 0..<n { out[i] *= inv }
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

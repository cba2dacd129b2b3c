import Foundation

/// √(2/π), the constant of GELU's tanh approximation.
private let geluScale: Float = 0.797_884_56

/// GELU (tanh approximation): out = ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
/// inp, out: (N)
func geluForward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, n: Int) {
  for i in 0..<n {
    let x = inp[i]
    let u = geluScale * (x + 0.044715 * x * x * x)
    out[i] = 0.5 * x * (1 + tanhf(u))
  }
}

/// Gradient of `geluForward`, accumulated (+=) into dinp (N).
func geluBackward(
  dinp: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, dout: UnsafePointer<Float>,
  n: Int
) {
  for i in 0..<n {
    let x = inp[i]
    let u = geluScale * (x + 0.044715 * x * x * x)
    let t = tanhf(u)
    let sech2 = 1 - t * t
    let du = geluScale * (1 + 3 * 0.044715 * x * x)
    dinp[i] += (0.5 * (1 + t) + 0.5 * x * sech2 * du) * dout[i]
  }
}

import KernelSupport

/// √(2/π), the constant of GELU's tanh approximation.
private let geluScale: Float = 0.797_884_56

extension Suite {
  /// GELU (tanh approximation): out = ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
  /// inp, out: (N)
  public static func geluForward(
    out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, n: Int
  ) {
    @inline(__always) func gelu(_ x: VF) -> VF {
      let u = geluScale * (x + 0.044715 * x * x * x)
      return 0.5 * x * (1 + fastTanh(u))
    }
    var i = 0
    while i + VF.scalarCount <= n {
      storeV(out + i, gelu(loadV(inp + i)))
      i += VF.scalarCount
    }
    if i < n {
      var x = VF()
      for j in 0..<(n - i) { x[j] = inp[i + j] }
      let y = gelu(x)
      for j in 0..<(n - i) { out[i + j] = y[j] }
    }
  }

  /// Gradient of `geluForward`, written (=) into dinp (N).
  public static func geluBackward(
    dinp: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, dout: UnsafePointer<Float>,
    n: Int
  ) {
    @inline(__always) func local(_ x: VF, _ g: VF) -> VF {
      let u = geluScale * (x + 0.044715 * x * x * x)
      let t = fastTanh(u)
      let du = geluScale * (1 + 3 * 0.044715 * x * x)
      return (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * du) * g
    }
    var i = 0
    while i + VF.scalarCount <= n {
      storeV(dinp + i, local(loadV(inp + i), loadV(dout + i)))
      i += VF.scalarCount
    }
    if i < n {
      var x = VF()
      var g = VF()
      for j in 0..<(n - i) {
        x[j] = inp[i + j]
        g[j] = dout[i + j]
      }
      let d = local(x, g)
      for j in 0..<(n - i) { dinp[i + j] = d[j] }
    }
  }
}

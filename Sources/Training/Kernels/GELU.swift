/// √(2/π), the constant of GELU's tanh approximation.
private let geluScale: Float = 0.797_884_56

/// GELU (tanh approximation): out = ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
/// inp, out: (N)
func geluForward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, n: Int) {
  mapSIMD8(out, inp, n) { x in
    let u = geluScale * (x + 0.044715 * x * x * x)
    return 0.5 * x * (1 + fastTanh(u))
  }
}

/// Gradient of `geluForward`, accumulated (+=) into dinp (N).
func geluBackward(
  dinp: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, dout: UnsafePointer<Float>,
  n: Int
) {
  @inline(__always) func local(_ x: SIMD8<Float>, _ g: SIMD8<Float>) -> SIMD8<Float> {
    let u = geluScale * (x + 0.044715 * x * x * x)
    let t = fastTanh(u)
    let du = geluScale * (1 + 3 * 0.044715 * x * x)
    return (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * du) * g
  }
  var i = 0
  while i + 8 <= n {
    let x = UnsafeRawPointer(inp + i).loadUnaligned(as: SIMD8<Float>.self)
    let g = UnsafeRawPointer(dout + i).loadUnaligned(as: SIMD8<Float>.self)
    let d = UnsafeRawPointer(dinp + i).loadUnaligned(as: SIMD8<Float>.self)
    UnsafeMutableRawPointer(dinp + i).storeBytes(of: d + local(x, g), as: SIMD8<Float>.self)
    i += 8
  }
  if i < n {
    var x = SIMD8<Float>()
    var g = SIMD8<Float>()
    for j in 0..<(n - i) {
      x[j] = inp[i + j]
      g[j] = dout[i + j]
    }
    let d = local(x, g)
    for j in 0..<(n - i) { dinp[i + j] += d[j] }
  }
}

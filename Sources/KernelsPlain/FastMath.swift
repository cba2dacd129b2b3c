import KernelSupport

/// Vectorised exp and tanh for the kernels' hot loops (GELU, softmax),
/// where libm's scalar `expf`/`tanhf` cost more than the matmuls.

/// e^x lane-wise: Cephes' range reduction x = n·ln2 + r, a degree-6
/// polynomial for e^r and 2^n built in the exponent bits. Relative error
/// about 2e-7 over the clamped range [−87, 88] (e^−87 ≈ 1.6e−38 stays normal).
@inline(__always)
func fastExp(_ x: VF) -> VF {
  let lo = VF(repeating: -87)
  let hi = VF(repeating: 88)
  // `replacing(with:where:)` compiles to vmaxps/vblendvps; `clamped` does not.
  let xc = x.replacing(with: lo, where: x .< lo).replacing(with: hi, where: x .> hi)
  // Adding 1.5·2²³ rounds to an integer held in the low mantissa bits.
  let magic = VF(repeating: 12_582_912)
  let shifted = xc * 1.442_695_04 + magic
  let n = shifted - magic
  // ln 2 split in two so n·ln2 is subtracted without rounding error.
  let r = xc - n * 0.693_359_375 + n * 2.121_944_4e-4
  var p = VF(repeating: 1.987_569_15e-4)
  p = p * r + 1.398_199_95e-3
  p = p * r + 8.333_451_9e-3
  p = p * r + 4.166_579_59e-2
  p = p * r + 1.666_666_55e-1
  p = p * r + 5.000_000_12e-1
  p = p * r * r + r + 1
  let ni = unsafeBitCast(shifted, to: VI.self) &- unsafeBitCast(magic, to: VI.self)
  let bits = (ni &+ 127) &<< 23
  return p * unsafeBitCast(bits, to: VF.self)
}

/// tanh lane-wise via e^{2u}: (e − 1)/(e + 1), saturating past |u| = 9
/// where tanh is ±1 in Float anyway.
@inline(__always)
func fastTanh(_ u: VF) -> VF {
  let lo = VF(repeating: -9)
  let hi = VF(repeating: 9)
  let uc = u.replacing(with: lo, where: u .< lo).replacing(with: hi, where: u .> hi)
  let e = fastExp(2 * uc)
  return (e - 1) / (e + 1)
}

/// Applies `f` to `n` floats from `inp` into `out`, one vector at a time (the
/// tail through a zero-padded vector).
@inline(__always)
func mapVectors(
  _ out: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>, _ n: Int,
  _ f: (VF) -> VF
) {
  let w = VF.scalarCount
  var i = 0
  while i + w <= n {
    storeV(out + i, f(loadV(inp + i)))
    i += w
  }
  if i < n {
    var x = VF()
    for j in 0..<(n - i) { x[j] = inp[i + j] }
    let y = f(x)
    for j in 0..<(n - i) { out[i + j] = y[j] }
  }
}

extension Suite {
  public static func vectorExp(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, n: Int)
  {
    mapVectors(out, inp, n, fastExp)
  }

  public static func vectorTanh(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, n: Int)
  {
    mapVectors(out, inp, n, fastTanh)
  }
}

/// Lane-wise maximum as b + max(a − b, 0), the clamp done on the sign bit
/// with integer vector ops. The standard library's `pointwiseMax` and
/// `.<` masks compile to loops over lanes here. The result can differ from
/// the larger operand in its last bit, which is fine where it is used (the
/// shift of a softmax, which only has to be close to the maximum).
@inline(__always)
func laneMax(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
  let d = unsafeBitCast(a - b, to: SIMD16<Int32>.self)
  return b + unsafeBitCast(d & ~(d &>> 31), to: SIMD16<Float>.self)
}

/// `laneMax` for eight lanes.
@inline(__always)
func laneMax(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
  let d = unsafeBitCast(a - b, to: SIMD8<Int32>.self)
  return b + unsafeBitCast(d & ~(d &>> 31), to: SIMD8<Float>.self)
}

/// `laneMax` for four lanes.
@inline(__always)
func laneMax(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD4<Float> {
  let d = unsafeBitCast(a - b, to: SIMD4<Int32>.self)
  return b + unsafeBitCast(d & ~(d &>> 31), to: SIMD4<Float>.self)
}

/// Largest lane of `v`, by halving (no round trip through memory).
@inline(__always)
func reduceMax(_ v: SIMD16<Float>) -> Float { reduceMax(laneMax(v.lowHalf, v.highHalf)) }

/// Largest lane of `v`, by halving.
@inline(__always)
func reduceMax(_ v: SIMD8<Float>) -> Float {
  let a = laneMax(v.lowHalf, v.highHalf)
  return Swift.max(Swift.max(a.x, a.y), Swift.max(a.z, a.w))
}

/// Sum of the lanes of `v`, by halving (the library's `.sum()` is a loop over lanes here).
@inline(__always)
func reduceSum(_ v: SIMD16<Float>) -> Float { reduceSum(v.lowHalf + v.highHalf) }

/// Sum of the lanes of `v`, by halving.
@inline(__always)
func reduceSum(_ v: SIMD8<Float>) -> Float {
  let a = v.lowHalf + v.highHalf
  let b = a.lowHalf + a.highHalf
  return b.x + b.y
}

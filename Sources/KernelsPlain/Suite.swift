import KernelSupport

/// This path's kernels. The same source files are compiled into KernelsPlain,
/// KernelsAVX2 and KernelsAVX512 (the latter two through symbolic links),
/// each with its own code-generation flags and its own `Width.swift`; the
/// kernel files add their functions to this type in extensions.
public enum Suite: KernelSuite {}

/// A dot product of `n` floats with eight-wide accumulation.
@inline(__always)
func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
  var acc = SIMD8<Float>()
  var i = 0
  while i + 8 <= n {
    let x = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self)
    let y = UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Float>.self)
    acc = madd8(acc, x, y)
    i += 8
  }
  var s = acc.sum()
  while i < n {
    s += a[i] * b[i]
    i += 1
  }
  return s
}

/// y[i] += alpha · x[i] for `n` floats.
@inline(__always)
func axpy(_ y: UnsafeMutablePointer<Float>, _ alpha: Float, _ x: UnsafePointer<Float>, _ n: Int) {
  let va = SIMD8<Float>(repeating: alpha)
  var i = 0
  while i + 8 <= n {
    let xv = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
    let yv = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Float>.self)
    UnsafeMutableRawPointer(y + i).storeBytes(of: madd8(yv, va, xv), as: SIMD8<Float>.self)
    i += 8
  }
  while i < n {
    y[i] += alpha * x[i]
    i += 1
  }
}

/// dst[0..<n] = src[0..<n], a vector at a time (short rows: no call).
@inline(__always)
func copyFloats(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, _ n: Int) {
  var i = 0
  while i + VF.scalarCount <= n {
    storeV(dst + i, loadV(src + i))
    i += VF.scalarCount
  }
  while i < n {
    dst[i] = src[i]
    i += 1
  }
}

/// Loads `VF.scalarCount` floats from `p`.
@inline(__always)
func loadV(_ p: UnsafePointer<Float>) -> VF {
  UnsafeRawPointer(p).loadUnaligned(as: VF.self)
}

/// Stores `v` at `p`.
@inline(__always)
func storeV(_ p: UnsafeMutablePointer<Float>, _ v: VF) {
  UnsafeMutableRawPointer(p).storeBytes(of: v, as: VF.self)
}

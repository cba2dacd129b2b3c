import Dispatch

/// Splits `0..<count` into `threads` contiguous chunks and runs `body` on each,
/// concurrently when `threads > 1`.
///
/// Chunk boundaries depend only on `count`, `threads` and `granule`, and every
/// kernel writes each output element from exactly one chunk in a fixed order,
/// so results are deterministic for a given thread count (and, for the kernels
/// here, identical across thread counts). `granule` keeps chunk starts aligned
/// (matmul row tiles).
@inline(__always)
func parallelChunks(
  _ count: Int, threads: Int, granule: Int = 1, minPerThread: Int = 1,
  _ body: (Range<Int>) -> Void
) {
  let useful = max(1, min(threads, count / max(minPerThread, 1)))
  if useful <= 1 || count <= granule {
    body(0..<count)
    return
  }
  let units = (count + granule - 1) / granule
  let per = (units + useful - 1) / useful
  withoutActuallyEscaping(body) { escapable in
    // The chunks write disjoint ranges of raw buffers, which the type
    // system cannot see; the kernels' tests run under TSan.
    nonisolated(unsafe) let work = escapable
    DispatchQueue.concurrentPerform(iterations: useful) { i in
      let lo = min(count, i * per * granule)
      let hi = min(count, (i + 1) * per * granule)
      if lo < hi { work(lo..<hi) }
    }
  }
}

/// A dot product of `n` floats with SIMD8 accumulation.
@inline(__always)
func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
  var acc = SIMD8<Float>()
  var i = 0
  while i + 8 <= n {
    let x = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self)
    let y = UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Float>.self)
    acc = acc.addingProduct(x, y)
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
    UnsafeMutableRawPointer(y + i).storeBytes(
      of: yv.addingProduct(va, xv), as: SIMD8<Float>.self)
    i += 8
  }
  while i < n {
    y[i] += alpha * x[i]
    i += 1
  }
}

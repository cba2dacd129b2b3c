/// The one matrix-multiply engine every linear layer uses: row-major
/// `c (m, n) (+)= a (m, k) @ b (k, n)`, tiled 6×16 for AVX2 registers (six rows
/// of `a` packed p-major per tile), blocked
/// over k so the panel of `b` stays in L2, with rows split across threads.
///
/// Every element of `c` is accumulated by one fused multiply-add per `p` in
/// increasing `p` order, whichever tile or remainder path computes it, so the
/// result does not depend on how rows are split across threads.
func gemm(
  _ c: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
  m: Int, k: Int, n: Int, accumulate: Bool, threads: Int
) {
  if m == 0 || n == 0 { return }
  if k == 0 {
    if !accumulate { c.update(repeating: 0, count: m * n) }
    return
  }
  // Below ~64k multiply-adds a thread hand-off costs more than it saves.
  let work = m * n * k
  let t = work < 1 << 16 ? 1 : threads
  parallelChunks(m, threads: t, granule: gemmRowTile) { rows in
    gemmRows(c, a, b, rows: rows, k: k, n: n, accumulate: accumulate)
  }
}

/// Rows per register tile.
let gemmRowTile = 6
/// Depth of one k block (a 256 × n panel of `b`; 256 KB for n = 256).
private let gemmDepthBlock = 256

private typealias V8 = SIMD8<Float>

@inline(__always)
private func load8(_ p: UnsafePointer<Float>) -> V8 {
  UnsafeRawPointer(p).loadUnaligned(as: V8.self)
}

@inline(__always)
private func store8(_ p: UnsafeMutablePointer<Float>, _ v: V8) {
  UnsafeMutableRawPointer(p).storeBytes(of: v, as: V8.self)
}

/// Computes rows `rows` of `c` (all columns).
private func gemmRows(
  _ c: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
  rows: Range<Int>, k: Int, n: Int, accumulate: Bool
) {
  let rem = n % 8
  let depth = min(k, gemmDepthBlock)
  // When n is not a multiple of 8, the last columns of each k block of `b`
  // are copied once into a zero-padded (depth × 8) panel, so they too run
  // as one vector multiply-add per p.
  withUnsafeTemporaryAllocation(of: Float.self, capacity: rem == 0 ? 1 : depth * 8) { buf in
    let scratch = buf.baseAddress
    // Six rows of `a` interleaved (p-major), so the tile's broadcasts walk
    // one pointer through consecutive floats.
    withUnsafeTemporaryAllocation(of: Float.self, capacity: depth * gemmRowTile) { packBuf in
      guard let packed = packBuf.baseAddress else { return }
      var p0 = 0
      while p0 < k {
        let p1 = min(k, p0 + gemmDepthBlock)
        var panel: UnsafePointer<Float>?
        if rem != 0, let scratch {
          scratch.update(repeating: 0, count: (p1 - p0) * 8)
          for p in p0..<p1 {
            for q in 0..<rem { scratch[(p - p0) * 8 + q] = b[p * n + n - rem + q] }
          }
          panel = UnsafePointer(scratch)
        }
        // The first k block starts from zero unless accumulating into c.
        let fromC = accumulate || p0 > 0
        var i = rows.lowerBound
        while i + gemmRowTile <= rows.upperBound {
          for p in p0..<p1 {
            for r in 0..<gemmRowTile { packed[(p - p0) * gemmRowTile + r] = a[(i + r) * k + p] }
          }
          tile6(
            c, a, b, packed: packed, i: i, p0: p0, p1: p1, k: k, n: n, fromC: fromC, panel: panel)
          i += gemmRowTile
        }
        while i < rows.upperBound {
          row1(c, a, b, i: i, p0: p0, p1: p1, k: k, n: n, fromC: fromC, panel: panel)
          i += 1
        }
        p0 = p1
      }
    }
  }
}

/// Six rows of `c`: 6 × 16 tiles in registers, then the column remainder.
@inline(__always)
private func tile6(
  _ c: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
  packed: UnsafePointer<Float>, i: Int, p0: Int, p1: Int, k: Int, n: Int, fromC: Bool,
  panel: UnsafePointer<Float>?
) {
  let c0 = c + i * n
  var j = 0
  while j + 16 <= n {
    var x00 = V8(), x01 = V8(), x10 = V8(), x11 = V8(), x20 = V8(), x21 = V8()
    var x30 = V8(), x31 = V8(), x40 = V8(), x41 = V8(), x50 = V8(), x51 = V8()
    if fromC {
      x00 = load8(c0 + j)
      x01 = load8(c0 + j + 8)
      x10 = load8(c0 + n + j)
      x11 = load8(c0 + n + j + 8)
      x20 = load8(c0 + 2 * n + j)
      x21 = load8(c0 + 2 * n + j + 8)
      x30 = load8(c0 + 3 * n + j)
      x31 = load8(c0 + 3 * n + j + 8)
      x40 = load8(c0 + 4 * n + j)
      x41 = load8(c0 + 4 * n + j + 8)
      x50 = load8(c0 + 5 * n + j)
      x51 = load8(c0 + 5 * n + j + 8)
    }
    var bp = b + p0 * n + j
    var ap = packed
    for _ in p0..<p1 {
      let b0 = load8(bp)
      let b1 = load8(bp + 8)
      var s = V8(repeating: ap[0])
      x00 = x00.addingProduct(s, b0)
      x01 = x01.addingProduct(s, b1)
      s = V8(repeating: ap[1])
      x10 = x10.addingProduct(s, b0)
      x11 = x11.addingProduct(s, b1)
      s = V8(repeating: ap[2])
      x20 = x20.addingProduct(s, b0)
      x21 = x21.addingProduct(s, b1)
      s = V8(repeating: ap[3])
      x30 = x30.addingProduct(s, b0)
      x31 = x31.addingProduct(s, b1)
      s = V8(repeating: ap[4])
      x40 = x40.addingProduct(s, b0)
      x41 = x41.addingProduct(s, b1)
      s = V8(repeating: ap[5])
      x50 = x50.addingProduct(s, b0)
      x51 = x51.addingProduct(s, b1)
      bp += n
      ap += gemmRowTile
    }
    store8(c0 + j, x00)
    store8(c0 + j + 8, x01)
    store8(c0 + n + j, x10)
    store8(c0 + n + j + 8, x11)
    store8(c0 + 2 * n + j, x20)
    store8(c0 + 2 * n + j + 8, x21)
    store8(c0 + 3 * n + j, x30)
    store8(c0 + 3 * n + j + 8, x31)
    store8(c0 + 4 * n + j, x40)
    store8(c0 + 4 * n + j + 8, x41)
    store8(c0 + 5 * n + j, x50)
    store8(c0 + 5 * n + j + 8, x51)
    j += 16
  }
  if j < n {
    for r in 0..<gemmRowTile {
      columnsTail(
        c, a, b, i: i + r, from: j, p0: p0, p1: p1, k: k, n: n, fromC: fromC, panel: panel)
    }
  }
}

/// One row of `c`: 16-wide strips, then the column remainder.
@inline(__always)
private func row1(
  _ c: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
  i: Int, p0: Int, p1: Int, k: Int, n: Int, fromC: Bool, panel: UnsafePointer<Float>?
) {
  let ar = a + i * k
  let cr = c + i * n
  var j = 0
  while j + 16 <= n {
    var x0 = fromC ? load8(cr + j) : V8()
    var x1 = fromC ? load8(cr + j + 8) : V8()
    var bp = b + p0 * n + j
    for p in p0..<p1 {
      let s = V8(repeating: ar[p])
      x0 = x0.addingProduct(s, load8(bp))
      x1 = x1.addingProduct(s, load8(bp + 8))
      bp += n
    }
    store8(cr + j, x0)
    store8(cr + j + 8, x1)
    j += 16
  }
  if j < n {
    columnsTail(
      c, a, b, i: i, from: j, p0: p0, p1: p1, k: k, n: n, fromC: fromC, panel: panel)
  }
}

/// Columns `from..<n` of row `i`, 8-wide then scalar, with the same fused
/// multiply-add per `p` as the tiles.
@inline(__always)
private func columnsTail(
  _ c: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
  i: Int, from: Int, p0: Int, p1: Int, k: Int, n: Int, fromC: Bool,
  panel: UnsafePointer<Float>?
) {
  let ar = a + i * k
  let cr = c + i * n
  var j = from
  while j + 8 <= n {
    var x = fromC ? load8(cr + j) : V8()
    var bp = b + p0 * n + j
    for p in p0..<p1 {
      x = x.addingProduct(V8(repeating: ar[p]), load8(bp))
      bp += n
    }
    store8(cr + j, x)
    j += 8
  }
  if j < n, let panel {
    // The last n − j (< 8) columns, from the zero-padded panel (see
    // `gemmRows`); padding lanes are computed and discarded.
    let rem = n - j
    var x = V8()
    if fromC { for q in 0..<rem { x[q] = cr[j + q] } }
    var pp = panel
    for p in p0..<p1 {
      x = x.addingProduct(V8(repeating: ar[p]), load8(pp))
      pp += 8
    }
    for q in 0..<rem { cr[j + q] = x[q] }
  }
}

/// dst (cols, rows) = srcᵀ for src (rows, cols); blocked for cache locality.
func transpose(
  _ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, rows: Int, cols: Int
) {
  let blk = 32
  var r0 = 0
  while r0 < rows {
    let r1 = min(rows, r0 + blk)
    var c0 = 0
    while c0 < cols {
      let c1 = min(cols, c0 + blk)
      for r in r0..<r1 {
        for c in c0..<c1 {
          dst[c * rows + r] = src[r * cols + c]
        }
      }
      c0 = c1
    }
    r0 = r1
  }
}

import KernelSupport

/// The one matrix-multiply engine every linear layer uses: row-major
/// `c (m, n) (+)= a (m, k) @ b (k, n)`, tiled `gemmRowTile` × 2 vectors in
/// registers (six rows of `a` per tile, read in place or packed when transposed; 6×16 with AVX2, 6×32
/// with AVX-512), blocked
/// over k so the panel of `b` stays in L2, with rows split across threads.
///
/// Every element of `c` is accumulated by one fused multiply-add per `p` in
/// increasing `p` order, whichever tile or remainder path computes it, so the
/// result does not depend on how rows are split across threads.
extension Suite {
  public static func gemm(
    _ c: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
    m: Int, k: Int, n: Int, accumulate: Bool, threads: Int
  ) {
    gemm(c, a, b, m: m, k: k, n: n, accumulate: accumulate, bias: nil, threads: threads)
  }

  /// `gemm`, where a non-accumulating product starts every row of `c` from
  /// `bias` (n floats) instead of zero: the same sums as copying the bias
  /// into `c` and accumulating, without writing and re-reading all of `c`.
  static func gemm(
    _ c: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
    m: Int, k: Int, n: Int, accumulate: Bool, bias: UnsafePointer<Float>?, threads: Int
  ) {
    if m == 0 || n == 0 { return }
    if k == 0 {
      if !accumulate {
        for r in 0..<m {
          if let bias {
            copyFloats(c + r * n, bias, n)
          } else {
            (c + r * n).update(repeating: 0, count: n)
          }
        }
      }
      return
    }
    // Below ~64k multiply-adds a thread hand-off costs more than it saves.
    let work = m * n * k
    let t = work < 1 << 16 ? 1 : threads
    parallelChunks(m, threads: t, granule: gemmRowTile) { rows in
      gemmRows(
        c, a, b, rows: rows, k: k, n: n, accumulate: accumulate, bias: bias, rowStride: k,
        depthStride: 1)
    }
  }

  /// c (m, n) (+)= aᵀ @ b for a stored (k, m): the weight gradients'
  /// inputᵀ @ output-gradient without transposing the input first (the
  /// tiles pack `a` anyway, so reading it column-wise costs nothing extra).
  /// Same summation order as `gemm`.
  public static func gemmTN(
    _ c: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
    m: Int, k: Int, n: Int, accumulate: Bool, threads: Int
  ) {
    if m == 0 || n == 0 { return }
    if k == 0 {
      if !accumulate { c.update(repeating: 0, count: m * n) }
      return
    }
    let work = m * n * k
    let t = work < 1 << 16 ? 1 : threads
    parallelChunks(m, threads: t, granule: gemmRowTile) { rows in
      gemmRows(
        c, a, b, rows: rows, k: k, n: n, accumulate: accumulate, bias: nil, rowStride: 1,
        depthStride: m)
    }
  }
}

/// Depth of one k block: as deep as keeps the (depth × n) panel of `b` within
/// ~512 KB of L2 (at least 128), so the model's k = 384 products run in one
/// block instead of storing and reloading `c` in between. The block size does
/// not change results: each element still gets one multiply-add per p, in order.
private func depthBlock(k: Int, n: Int) -> Int {
  min(k, max(128, (1 << 17) / max(n, 1)))
}

/// Where a tile's six rows of `a` are: element (r, p) of the k block at
/// base[r·row + p·depth] (row-major `a` in place, or the packed copy).
private struct TileA {
  let base: UnsafePointer<Float>
  let row: Int
  let depth: Int
}

/// Lanes per vector; a register tile is two vectors wide.
private let lanes = VF.scalarCount

/// Computes rows `rows` of `c` (all columns).
private func gemmRows(
  _ c: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
  rows: Range<Int>, k: Int, n: Int, accumulate: Bool, bias: UnsafePointer<Float>?,
  rowStride: Int, depthStride: Int
) {
  let rem = n % lanes
  let depth = depthBlock(k: k, n: n)
  // When n is not a multiple of the vector width, the last columns of each k block of `b`
  // are copied once into a zero-padded (depth × lanes) panel, so they too run
  // as one vector multiply-add per p.
  withUnsafeTemporaryAllocation(of: Float.self, capacity: rem == 0 ? 1 : depth * lanes) { buf in
    let scratch = buf.baseAddress
    // Six rows of `a` interleaved (p-major), so the tile's broadcasts walk
    // one pointer through consecutive floats.
    // (+ one row of `a` made contiguous, for the leftover rows of a transposed `a`.)
    withUnsafeTemporaryAllocation(of: Float.self, capacity: depth * (gemmRowTile + 1)) { packBuf in
      guard let packed = packBuf.baseAddress else { return }
      let rowBuf = packed + depth * gemmRowTile
      var p0 = 0
      while p0 < k {
        let p1 = min(k, p0 + depth)
        var panel: UnsafePointer<Float>?
        if rem != 0, let scratch {
          scratch.update(repeating: 0, count: (p1 - p0) * lanes)
          for p in p0..<p1 {
            for q in 0..<rem { scratch[(p - p0) * lanes + q] = b[p * n + n - rem + q] }
          }
          panel = UnsafePointer(scratch)
        }
        // The first k block starts from zero (or the bias) unless accumulating into c.
        let fromC = accumulate || p0 > 0
        let start = fromC ? nil : bias
        var i = rows.lowerBound
        while i + gemmRowTile <= rows.upperBound {
          // Row-major `a` is read in place (six streams, one float apart per p);
          // a transposed `a` is packed p-major first.
          var tileA = TileA(base: a + i * k + p0, row: k, depth: 1)
          if depthStride != 1 {
            for p in p0..<p1 {
              for r in 0..<gemmRowTile {
                packed[(p - p0) * gemmRowTile + r] = a[(i + r) * rowStride + p * depthStride]
              }
            }
            tileA = TileA(base: UnsafePointer(packed), row: 1, depth: gemmRowTile)
          }
          tile6(
            c, a, b, packed: tileA, i: i, p0: p0, p1: p1, k: k, n: n, fromC: fromC, start: start,
            panel: panel)
          i += gemmRowTile
        }
        while i < rows.upperBound {
          var ar = a + i * k + p0
          if depthStride != 1 {
            for p in p0..<p1 { rowBuf[p - p0] = a[i * rowStride + p * depthStride] }
            ar = UnsafePointer(rowBuf)
          }
          row1(c, ar, b, i: i, p0: p0, p1: p1, n: n, fromC: fromC, start: start, panel: panel)
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
  packed: TileA, i: Int, p0: Int, p1: Int, k: Int, n: Int, fromC: Bool,
  start: UnsafePointer<Float>?, panel: UnsafePointer<Float>?
) {
  let c0 = c + i * n
  var j = 0
  while j + 2 * lanes <= n {
    var x00 = VF(), x01 = VF(), x10 = VF(), x11 = VF(), x20 = VF(), x21 = VF()
    var x30 = VF(), x31 = VF(), x40 = VF(), x41 = VF(), x50 = VF(), x51 = VF()
    if fromC {
      x00 = loadV(c0 + j)
      x01 = loadV(c0 + j + lanes)
      x10 = loadV(c0 + n + j)
      x11 = loadV(c0 + n + j + lanes)
      x20 = loadV(c0 + 2 * n + j)
      x21 = loadV(c0 + 2 * n + j + lanes)
      x30 = loadV(c0 + 3 * n + j)
      x31 = loadV(c0 + 3 * n + j + lanes)
      x40 = loadV(c0 + 4 * n + j)
      x41 = loadV(c0 + 4 * n + j + lanes)
      x50 = loadV(c0 + 5 * n + j)
      x51 = loadV(c0 + 5 * n + j + lanes)
    } else if let start {
      let s0 = loadV(start + j)
      let s1 = loadV(start + j + lanes)
      (x00, x10, x20, x30, x40, x50) = (s0, s0, s0, s0, s0, s0)
      (x01, x11, x21, x31, x41, x51) = (s1, s1, s1, s1, s1, s1)
    }
    var bp = b + p0 * n + j
    var ap = packed.base
    let r1 = packed.row
    let r2 = 2 * r1
    let r3 = 3 * r1
    let r4 = 4 * r1
    let r5 = 5 * r1
    for _ in p0..<p1 {
      let b0 = loadV(bp)
      let b1 = loadV(bp + lanes)
      var s = VF(repeating: ap[0])
      x00 = madd(x00, s, b0)
      x01 = madd(x01, s, b1)
      s = VF(repeating: ap[r1])
      x10 = madd(x10, s, b0)
      x11 = madd(x11, s, b1)
      s = VF(repeating: ap[r2])
      x20 = madd(x20, s, b0)
      x21 = madd(x21, s, b1)
      s = VF(repeating: ap[r3])
      x30 = madd(x30, s, b0)
      x31 = madd(x31, s, b1)
      s = VF(repeating: ap[r4])
      x40 = madd(x40, s, b0)
      x41 = madd(x41, s, b1)
      s = VF(repeating: ap[r5])
      x50 = madd(x50, s, b0)
      x51 = madd(x51, s, b1)
      bp += n
      ap += packed.depth
    }
    storeV(c0 + j, x00)
    storeV(c0 + j + lanes, x01)
    storeV(c0 + n + j, x10)
    storeV(c0 + n + j + lanes, x11)
    storeV(c0 + 2 * n + j, x20)
    storeV(c0 + 2 * n + j + lanes, x21)
    storeV(c0 + 3 * n + j, x30)
    storeV(c0 + 3 * n + j + lanes, x31)
    storeV(c0 + 4 * n + j, x40)
    storeV(c0 + 4 * n + j + lanes, x41)
    storeV(c0 + 5 * n + j, x50)
    storeV(c0 + 5 * n + j + lanes, x51)
    j += 2 * lanes
  }
  if j + lanes <= n {
    strip6(
      c0 + j, n: n, count: lanes, b: b + p0 * n + j, stride: n, packed: packed, depth: p1 - p0,
      fromC: fromC, start: start.map { $0 + j })
    j += lanes
  }
  if j < n, let panel {
    // The last n − j (< lanes) columns, from the zero-padded panel (see `gemmRows`).
    strip6(
      c0 + j, n: n, count: n - j, b: panel, stride: lanes, packed: packed, depth: p1 - p0,
      fromC: fromC, start: start.map { $0 + j })
  }
}

/// Six rows × one vector of `c` (the first `count` lanes kept), from a
/// strip of `b` whose rows are `stride` apart: the column remainder of a tile,
/// still one fused multiply-add per `p` in increasing order per element.
@inline(__always)
private func strip6(
  _ c0: UnsafeMutablePointer<Float>, n: Int, count: Int, b: UnsafePointer<Float>, stride: Int,
  packed: TileA, depth: Int, fromC: Bool, start: UnsafePointer<Float>?
) {
  var x = (VF(), VF(), VF(), VF(), VF(), VF())
  if !fromC, let start {
    var s = VF()
    if count == lanes {
      s = loadV(start)
    } else {
      for q in 0..<count { s[q] = start[q] }
    }
    x = (s, s, s, s, s, s)
  }
  if fromC {
    if count == lanes {
      x = (
        loadV(c0), loadV(c0 + n), loadV(c0 + 2 * n), loadV(c0 + 3 * n), loadV(c0 + 4 * n),
        loadV(c0 + 5 * n)
      )
    } else {
      for q in 0..<count {
        x.0[q] = c0[q]
        x.1[q] = c0[n + q]
        x.2[q] = c0[2 * n + q]
        x.3[q] = c0[3 * n + q]
        x.4[q] = c0[4 * n + q]
        x.5[q] = c0[5 * n + q]
      }
    }
  }
  var bp = b
  var ap = packed.base
  let r1 = packed.row
  let r2 = 2 * r1
  let r3 = 3 * r1
  let r4 = 4 * r1
  let r5 = 5 * r1
  for _ in 0..<depth {
    let bv = loadV(bp)
    x.0 = madd(x.0, VF(repeating: ap[0]), bv)
    x.1 = madd(x.1, VF(repeating: ap[r1]), bv)
    x.2 = madd(x.2, VF(repeating: ap[r2]), bv)
    x.3 = madd(x.3, VF(repeating: ap[r3]), bv)
    x.4 = madd(x.4, VF(repeating: ap[r4]), bv)
    x.5 = madd(x.5, VF(repeating: ap[r5]), bv)
    bp += stride
    ap += packed.depth
  }
  if count == lanes {
    storeV(c0, x.0)
    storeV(c0 + n, x.1)
    storeV(c0 + 2 * n, x.2)
    storeV(c0 + 3 * n, x.3)
    storeV(c0 + 4 * n, x.4)
    storeV(c0 + 5 * n, x.5)
  } else {
    for q in 0..<count {
      c0[q] = x.0[q]
      c0[n + q] = x.1[q]
      c0[2 * n + q] = x.2[q]
      c0[3 * n + q] = x.3[q]
      c0[4 * n + q] = x.4[q]
      c0[5 * n + q] = x.5[q]
    }
  }
}

/// One row of `c`: 16-wide strips, then the column remainder.
@inline(__always)
private func row1(
  _ c: UnsafeMutablePointer<Float>, _ ar: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
  i: Int, p0: Int, p1: Int, n: Int, fromC: Bool, start: UnsafePointer<Float>?,
  panel: UnsafePointer<Float>?
) {
  let cr = c + i * n
  // Where a row starts when not accumulating into c: the bias row, or zero.
  let from = fromC ? UnsafePointer(cr) : start
  var j = 0
  while j + 2 * lanes <= n {
    var x0 = from.map { loadV($0 + j) } ?? VF()
    var x1 = from.map { loadV($0 + j + lanes) } ?? VF()
    var bp = b + p0 * n + j
    for p in p0..<p1 {
      let s = VF(repeating: ar[p - p0])
      x0 = madd(x0, s, loadV(bp))
      x1 = madd(x1, s, loadV(bp + lanes))
      bp += n
    }
    storeV(cr + j, x0)
    storeV(cr + j + lanes, x1)
    j += 2 * lanes
  }
  if j < n {
    columnsTail(c, ar, b, i: i, from: j, p0: p0, p1: p1, n: n, start: from, panel: panel)
  }
}

/// Columns `from..<n` of row `i`, one vector at a time, with the same
/// multiply-add per `p` as the tiles, each starting from `start` (row `i`
/// of c when accumulating, the bias row, or zero when nil).
@inline(__always)
private func columnsTail(
  _ c: UnsafeMutablePointer<Float>, _ ar: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
  i: Int, from: Int, p0: Int, p1: Int, n: Int, start: UnsafePointer<Float>?,
  panel: UnsafePointer<Float>?
) {
  let cr = c + i * n
  var j = from
  while j + lanes <= n {
    var x = start.map { loadV($0 + j) } ?? VF()
    var bp = b + p0 * n + j
    for p in p0..<p1 {
      x = madd(x, VF(repeating: ar[p - p0]), loadV(bp))
      bp += n
    }
    storeV(cr + j, x)
    j += lanes
  }
  if j < n, let panel {
    // The last n − j (< lanes) columns, from the zero-padded panel (see
    // `gemmRows`); padding lanes are computed and discarded.
    let rem = n - j
    var x = VF()
    if let start { for q in 0..<rem { x[q] = start[j + q] } }
    var pp = panel
    for p in p0..<p1 {
      x = madd(x, VF(repeating: ar[p - p0]), loadV(pp))
      pp += lanes
    }
    for q in 0..<rem { cr[j + q] = x[q] }
  }
}

extension Suite {
  /// dst (cols, rows) = srcᵀ for src (rows, cols); blocked for cache locality.
  public static func transpose(
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
}

import KernelSupport

/// The one matrix-multiply engine every linear layer uses: row-major
/// `c (m, n) (+)= a (m, k) @ b (k, n)`, and `gemmTN` for a stored transposed.
///
/// Blocked as the usual packed-panel GEMM (Goto and van de Geijn, "Anatomy
/// of high-performance matrix multiplication", 2008):
/// - a register tile of `gemmRowTile` (6) rows × 2 vectors of `c` (6 × 16
///   with AVX2: 12 accumulators + 2 vectors of `b` + 1 broadcast = 15 of the
///   16 ymm registers; 6 × 32 with AVX-512);
/// - `b` packed, per k block and column panel, into slivers of 2 vectors'
///   width, p-major and zero-padded to whole slivers, so the tile reads one
///   contiguous stream (the column tails run as whole tiles too, no lane loop);
/// - one sliver (`kc` × 2 vectors ≤ 16 KB) stays in L1 while the tiles walk
///   down a block of `mc` rows of `a` (≤ 128 KB, in L2);
/// - `a` is packed into 6-row p-major panels when the block serves many
///   slivers (≥ `packAMinSlivers`) or its rows are far apart (k ≥ 1024, rows
///   ≥ 4 KB apart fall into a few of L2's sets); otherwise it is read in place
///   (six broadcasts a step from six rows, or six neighbouring floats of one
///   row when transposed), as packing costs a copy per element (~20 % of the
///   k = 384, n = 96 products when it was a scalar copy; now vectors: four
///   steps of six rows as three 8-float stores, or a 4 + 2-float copy a step
///   when transposed);
/// - k runs in one block when the whole packed panel of `b` fits in L2.
///
/// Every element of `c` is accumulated by one multiply-add per `p` in
/// increasing `p` order, starting from zero, the bias or `c` itself, whichever
/// tile, block or thread computes it (a k block stores its sums to `c` and the
/// next one reloads them, exactly). So the result does not depend on the
/// blocking or on how the work is split across threads, and it is the same
/// as the row-by-row product this replaced, bit for bit.
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
    let op = GemmOperands(
      c: c, a: a, b: b, k: k, n: n, aRow: k, aDepth: 1, accumulate: accumulate, bias: bias)
    fanOut(op, m: m, threads: threads)
  }

  /// c (m, n) (+)= aᵀ @ b for a stored (k, m): the weight gradients'
  /// inputᵀ @ output-gradient without transposing the input first (the
  /// tile's six broadcasts a step are then six neighbouring floats of one
  /// row of `a`). Same summation order as `gemm`.
  public static func gemmTN(
    _ c: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
    m: Int, k: Int, n: Int, accumulate: Bool, threads: Int
  ) {
    if m == 0 || n == 0 { return }
    if k == 0 {
      if !accumulate { c.update(repeating: 0, count: m * n) }
      return
    }
    let op = GemmOperands(
      c: c, a: a, b: b, k: k, n: n, aRow: 1, aDepth: m, accumulate: accumulate, bias: nil)
    fanOut(op, m: m, threads: threads)
  }
}

/// One product's operands: element (i, p) of `a` is at a[i·aRow + p·aDepth]
/// (row-major: aRow = k, aDepth = 1; transposed: aRow = 1, aDepth = m);
/// `b` and `c` are row-major with n columns.
private struct GemmOperands {
  let c: UnsafeMutablePointer<Float>
  let a: UnsafePointer<Float>
  let b: UnsafePointer<Float>
  let k: Int
  let n: Int
  let aRow: Int
  let aDepth: Int
  let accumulate: Bool
  let bias: UnsafePointer<Float>?
}

/// Lanes per vector.
private let lanes = VF.scalarCount
/// Columns of a register tile and of a packed sliver of `b`: two vectors.
private let sliver = 2 * VF.scalarCount
/// Deepest k block: a packed sliver (kc × 2 vectors) of ≤ 16 KB, half of a
/// 32 KB L1d, so it stays there while the tiles walk down the rows of `a`
/// (256 with AVX2, 128 with AVX-512). k is split into equal blocks (384 runs
/// as 2 × 192, not 256 + 128).
private let maxDepth = 4096 / sliver
/// Floats of a block of `a` (mc rows × kc): 128 KB, a quarter of a 512 KB
/// L2 (the packed panel of `b`, the slivers' way through L2 and the rows of
/// `c` share the rest; a larger block measured slower on the 512³ product,
/// its rows 2 KB apart conflicting in L2's sets).
private let aBlockFloats = 32 * 1024
/// Floats of a packed panel of `b` (kc × nc): 256 KB, read back from L2.
private let panelFloats = 64 * 1024
/// Column slivers a thread's block of `a` must serve before it is packed
/// (the copy, ~1 cycle a float, against 1 cycle of multiply-adds per float
/// and sliver: ≤ ~8 %).
private let packAMinSlivers = 12
/// Rows below which `b` is read in place instead of packed: packing costs a
/// copy of each float of `b` in the block, repaid only over several tiles
/// (incremental decoding multiplies a single row).
private let packMinRows = 4 * gemmRowTile

/// Splits the product over threads. Below ~64k multiply-adds a thread
/// hand-off costs more than it saves. A wide `c` (n ≥ m) is split by column
/// slivers, so each thread packs only its own columns of `b` (the weight
/// gradients: 96 rows × 384 columns); a tall one by row tiles, each thread
/// packing its own copy of the (small) panel of `b`.
private func fanOut(_ op: GemmOperands, m: Int, threads: Int) {
  let work = m * op.n * op.k
  let t = work < 1 << 16 ? 1 : threads
  if t > 1 && op.n >= m && op.n >= 2 * t * sliver {
    parallelChunks(op.n, threads: t, granule: sliver) { cols in
      gemmPart(op, rows: 0..<m, cols: cols)
    }
  } else {
    parallelChunks(m, threads: t, granule: gemmRowTile) { rows in
      gemmPart(op, rows: rows, cols: 0..<op.n)
    }
  }
}

/// Computes c[rows, cols] (cols starts at a multiple of `sliver`, or ends at n).
private func gemmPart(_ op: GemmOperands, rows: Range<Int>, cols: Range<Int>) {
  let k = op.k
  let n = op.n
  let wholeCols = (cols.count + sliver - 1) / sliver * sliver
  // One k block when the whole packed panel of `b` stays in L2 and a sliver
  // (≤ 2 × maxDepth deep, 24 KB at k = 384 with AVX2) still mostly in L1:
  // splitting k = 384, n = 96 in two stored and reloaded all of `c` once
  // more for nothing (measured ~10-25 % slower on those products).
  let shallow = k <= 2 * maxDepth && k * wholeCols <= panelFloats
  let blocks = shallow ? 1 : (k + maxDepth - 1) / maxDepth
  let kc = (k + blocks - 1) / blocks
  let nc = min(wholeCols, max(sliver, panelFloats / kc / sliver * sliver))
  let mc = max(gemmRowTile, aBlockFloats / kc / gemmRowTile * gemmRowTile)
  let packB = rows.count >= packMinRows
  let farRows = op.aDepth == 1 ? op.aRow >= 1024 : op.aDepth >= 1024
  let packA = packB && (wholeCols / sliver >= packAMinSlivers || farRows)
  let aCap = packA ? mc * kc : 1
  withUnsafeTemporaryAllocation(of: Float.self, capacity: packB ? kc * nc : kc * sliver) { buf in
    guard let panel = buf.baseAddress else { return }
    withUnsafeTemporaryAllocation(of: Float.self, capacity: aCap) { abuf in
      guard let aPanel = abuf.baseAddress else { return }
      var j0 = cols.lowerBound
      while j0 < cols.upperBound {
        let j1 = min(cols.upperBound, j0 + nc)
        var p0 = 0
        while p0 < k {
          let p1 = min(k, p0 + kc)
          let depth = p1 - p0
          // The first k block starts from zero (or the bias) unless accumulating into c.
          let fromC = op.accumulate || p0 > 0
          if packB {
            packPanel(panel, op.b + p0 * n, n: n, depth: depth, cols: j1 - j0, from: j0)
          } else if (j1 - j0) % sliver != 0 {
            // In place, but the last columns still need their zero-padded sliver.
            let last = (j1 - j0) / sliver * sliver
            packPanel(
              panel, op.b + p0 * n, n: n, depth: depth, cols: j1 - j0 - last, from: j0 + last)
          }
          var i0 = rows.lowerBound
          while i0 < rows.upperBound {
            let i1 = min(rows.upperBound, i0 + mc)
            let tiles = (i1 - i0) / gemmRowTile
            if packA {
              packRows(aPanel, op, from: i0, tiles: tiles, p0: p0, depth: depth)
            }
            var j = j0
            while j < j1 {
              let width = min(sliver, j1 - j)
              // Packed: the sliver's place in the panel. In place: `b` itself,
              // or the one padded sliver at the panel's start for the last columns.
              var bp = UnsafePointer(panel) + (packB ? (j - j0) * depth : 0)
              var ldb = sliver
              if !packB && width == sliver {
                bp = op.b + p0 * n + j
                ldb = n
              }
              let strip = Strip(b: bp, ldb: ldb, col: j, width: width, p0: p0, depth: depth)
              var i = i0
              while i + gemmRowTile <= i1 {
                let packed = packA ? UnsafePointer(aPanel) + (i - i0) * depth : nil
                tile6(op, strip, row: i, packed: packed, fromC: fromC)
                i += gemmRowTile
              }
              while i < i1 {
                tile1(op, strip, row: i, fromC: fromC)
                i += 1
              }
              j += sliver
            }
            i0 = i1
          }
          p0 = p1
        }
        j0 = j1
      }
    }
  }
}

/// Copies `tiles` × 6 rows of `a` from row `from`, columns p0..<p0+depth,
/// into 6-row panels: tile t's element (r, p) at dst[t·depth·6 + p·6 + r].
private func packRows(
  _ dst: UnsafeMutablePointer<Float>, _ op: GemmOperands, from: Int, tiles: Int, p0: Int,
  depth: Int
) {
  for t in 0..<tiles {
    let src = op.a + (from + t * gemmRowTile) * op.aRow + p0 * op.aDepth
    let d = dst + t * depth * gemmRowTile
    if op.aRow == 1 {
      // Transposed: the six floats of a step are neighbours, copied as a 4-
      // and a 2-float vector (six scalar copies measured ~10 % of gemmTN).
      var s = src
      var q = d
      for _ in 0..<depth {
        let lo = UnsafeRawPointer(s).loadUnaligned(as: SIMD4<Float>.self)
        let hi = UnsafeRawPointer(s + 4).loadUnaligned(as: SIMD2<Float>.self)
        UnsafeMutableRawPointer(q).storeBytes(of: lo, as: SIMD4<Float>.self)
        UnsafeMutableRawPointer(q + 4).storeBytes(of: hi, as: SIMD2<Float>.self)
        s += op.aDepth
        q += gemmRowTile
      }
    } else {
      // Row-major (aDepth = 1). Four steps at a time: a 4-float vector from each of the six rows,
      // written out interleaved as three 8-float vectors.
      let r0 = src
      let r1 = src + op.aRow
      let r2 = src + 2 * op.aRow
      let r3 = src + 3 * op.aRow
      let r4 = src + 4 * op.aRow
      let r5 = src + 5 * op.aRow
      var p = 0
      while p + 4 <= depth {
        let x0 = UnsafeRawPointer(r0 + p).loadUnaligned(as: SIMD4<Float>.self)
        let x1 = UnsafeRawPointer(r1 + p).loadUnaligned(as: SIMD4<Float>.self)
        let x2 = UnsafeRawPointer(r2 + p).loadUnaligned(as: SIMD4<Float>.self)
        let x3 = UnsafeRawPointer(r3 + p).loadUnaligned(as: SIMD4<Float>.self)
        let x4 = UnsafeRawPointer(r4 + p).loadUnaligned(as: SIMD4<Float>.self)
        let x5 = UnsafeRawPointer(r5 + p).loadUnaligned(as: SIMD4<Float>.self)
        let q = UnsafeMutableRawPointer(d + p * gemmRowTile)
        q.storeBytes(
          of: SIMD8<Float>(x0[0], x1[0], x2[0], x3[0], x4[0], x5[0], x0[1], x1[1]),
          as: SIMD8<Float>.self)
        q.storeBytes(
          of: SIMD8<Float>(x2[1], x3[1], x4[1], x5[1], x0[2], x1[2], x2[2], x3[2]),
          toByteOffset: 32, as: SIMD8<Float>.self)
        q.storeBytes(
          of: SIMD8<Float>(x4[2], x5[2], x0[3], x1[3], x2[3], x3[3], x4[3], x5[3]),
          toByteOffset: 64, as: SIMD8<Float>.self)
        p += 4
      }
      while p < depth {
        for r in 0..<gemmRowTile { d[p * gemmRowTile + r] = src[r * op.aRow + p] }
        p += 1
      }
    }
  }
}

/// Copies columns from..<from+cols of `depth` rows of `b` (row stride n) into
/// slivers: sliver s holds row p's 2 vectors at dst[s·depth·sliver + p·sliver],
/// zero-padded past the last column. Row by row, so `b` is read in order.
private func packPanel(
  _ dst: UnsafeMutablePointer<Float>, _ b: UnsafePointer<Float>, n: Int, depth: Int, cols: Int,
  from: Int
) {
  let whole = cols / sliver
  let rest = cols - whole * sliver
  let step = depth * sliver
  for p in 0..<depth {
    let src = b + p * n + from
    var d = dst + p * sliver
    for s in 0..<whole {
      storeV(d, loadV(src + s * sliver))
      storeV(d + lanes, loadV(src + s * sliver + lanes))
      d += step
    }
    if rest > 0 {
      for q in 0..<rest { d[q] = src[whole * sliver + q] }
      for q in rest..<sliver { d[q] = 0 }
    }
  }
}

/// One sliver of a k block of `b`: row p of the block at b[p·ldb] (2 vectors),
/// for columns col..<col+width of `c`.
private struct Strip {
  let b: UnsafePointer<Float>
  let ldb: Int
  let col: Int
  let width: Int
  let p0: Int
  let depth: Int
}

/// Six rows × one sliver of `c`. A sliver narrower than 2 vectors (the last
/// columns) runs through a 6 × 2-vector scratch tile, its padding computed
/// and dropped.
@inline(__always)
private func tile6(
  _ op: GemmOperands, _ s: Strip, row i: Int, packed: UnsafePointer<Float>?, fromC: Bool
) {
  let n = op.n
  let ap = packed ?? op.a + i * op.aRow + s.p0 * op.aDepth
  let aRow = packed == nil ? op.aRow : 1
  let aDepth = packed == nil ? op.aDepth : gemmRowTile
  let c0 = op.c + i * n + s.col
  if s.width == sliver {
    let start = fromC ? UnsafePointer(c0) : op.bias.map { $0 + s.col }
    kernel6(
      c0, ldc: n, start: start, startStride: fromC ? n : 0, a: ap, aRow: aRow,
      aDepth: aDepth, b: s.b, ldb: s.ldb, depth: s.depth)
    return
  }
  withUnsafeTemporaryAllocation(of: Float.self, capacity: gemmRowTile * sliver) { buf in
    guard let t = buf.baseAddress else { return }
    t.update(repeating: 0, count: gemmRowTile * sliver)
    let from = fromC ? UnsafePointer(c0) : op.bias.map { $0 + s.col }
    if let from {
      for r in 0..<gemmRowTile {
        for q in 0..<s.width { t[r * sliver + q] = from[(fromC ? r * n : 0) + q] }
      }
    }
    kernel6(
      t, ldc: sliver, start: from == nil ? nil : UnsafePointer(t), startStride: sliver, a: ap,
      aRow: aRow, aDepth: aDepth, b: s.b, ldb: s.ldb, depth: s.depth)
    for r in 0..<gemmRowTile {
      for q in 0..<s.width { c0[r * n + q] = t[r * sliver + q] }
    }
  }
}

/// One row × one sliver of `c` (the rows below the last whole tile).
@inline(__always)
private func tile1(_ op: GemmOperands, _ s: Strip, row i: Int, fromC: Bool) {
  let ap = op.a + i * op.aRow + s.p0 * op.aDepth
  let c0 = op.c + i * op.n + s.col
  let from = fromC ? UnsafePointer(c0) : op.bias.map { $0 + s.col }
  if s.width == sliver {
    kernel1(c0, start: from, a: ap, aDepth: op.aDepth, b: s.b, ldb: s.ldb, depth: s.depth)
    return
  }
  withUnsafeTemporaryAllocation(of: Float.self, capacity: sliver) { buf in
    guard let t = buf.baseAddress else { return }
    t.update(repeating: 0, count: sliver)
    if let from { for q in 0..<s.width { t[q] = from[q] } }
    kernel1(
      t, start: from == nil ? nil : UnsafePointer(t), a: ap, aDepth: op.aDepth, b: s.b,
      ldb: s.ldb, depth: s.depth)
    for q in 0..<s.width { c0[q] = t[q] }
  }
}

/// The register tile: out (6 × 2 vectors, rows ldc apart) = start (rows
/// startStride apart; 0 repeats one row, the bias; nil is zero) + Σ_p
/// a(r, p) · b(p), p = 0..<depth in order, one multiply-add each. Not
/// inlined: one call per tile (≥ ~100 cycles of multiply-adds) costs nothing,
/// and the loop gets the registers to itself.
@inline(never)
private func kernel6(
  _ out: UnsafeMutablePointer<Float>, ldc: Int, start: UnsafePointer<Float>?, startStride: Int,
  a: UnsafePointer<Float>, aRow: Int, aDepth: Int, b: UnsafePointer<Float>, ldb: Int, depth: Int
) {
  var x00 = VF(), x01 = VF(), x10 = VF(), x11 = VF(), x20 = VF(), x21 = VF()
  var x30 = VF(), x31 = VF(), x40 = VF(), x41 = VF(), x50 = VF(), x51 = VF()
  if let s = start {
    let s1 = startStride
    x00 = loadV(s)
    x01 = loadV(s + lanes)
    x10 = loadV(s + s1)
    x11 = loadV(s + s1 + lanes)
    x20 = loadV(s + 2 * s1)
    x21 = loadV(s + 2 * s1 + lanes)
    x30 = loadV(s + 3 * s1)
    x31 = loadV(s + 3 * s1 + lanes)
    x40 = loadV(s + 4 * s1)
    x41 = loadV(s + 4 * s1 + lanes)
    x50 = loadV(s + 5 * s1)
    x51 = loadV(s + 5 * s1 + lanes)
  }
  // Rows 0-2 and 3-5 of `a` from two pointers: each broadcast address is
  // then pointer + aRow·{0, 4, 8} bytes (x86 scaled index), and the two
  // pointers advance independently, instead of one register walking through
  // the six rows in a chain of dependent adds every step.
  var bp = b
  var ap = a
  var aq = a + 3 * aRow
  let r1 = aRow
  let r2 = 2 * aRow
  for _ in 0..<depth {
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
    s = VF(repeating: aq[0])
    x30 = madd(x30, s, b0)
    x31 = madd(x31, s, b1)
    s = VF(repeating: aq[r1])
    x40 = madd(x40, s, b0)
    x41 = madd(x41, s, b1)
    s = VF(repeating: aq[r2])
    x50 = madd(x50, s, b0)
    x51 = madd(x51, s, b1)
    bp += ldb
    ap += aDepth
    aq += aDepth
  }
  storeV(out, x00)
  storeV(out + lanes, x01)
  storeV(out + ldc, x10)
  storeV(out + ldc + lanes, x11)
  storeV(out + 2 * ldc, x20)
  storeV(out + 2 * ldc + lanes, x21)
  storeV(out + 3 * ldc, x30)
  storeV(out + 3 * ldc + lanes, x31)
  storeV(out + 4 * ldc, x40)
  storeV(out + 4 * ldc + lanes, x41)
  storeV(out + 5 * ldc, x50)
  storeV(out + 5 * ldc + lanes, x51)
}

/// `kernel6` for one row: two independent accumulators, same order per element.
@inline(never)
private func kernel1(
  _ out: UnsafeMutablePointer<Float>, start: UnsafePointer<Float>?, a: UnsafePointer<Float>,
  aDepth: Int, b: UnsafePointer<Float>, ldb: Int, depth: Int
) {
  var x0 = start.map { loadV($0) } ?? VF()
  var x1 = start.map { loadV($0 + lanes) } ?? VF()
  var bp = b
  var ap = a
  for _ in 0..<depth {
    let s = VF(repeating: ap[0])
    x0 = madd(x0, s, loadV(bp))
    x1 = madd(x1, s, loadV(bp + lanes))
    bp += ldb
    ap += aDepth
  }
  storeV(out, x0)
  storeV(out + lanes, x1)
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

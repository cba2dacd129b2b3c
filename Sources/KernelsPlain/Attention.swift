import KernelSupport

/// Causal attention, one (sequence, head) pair at a time with that head's
/// keys and values first copied into small contiguous tiles (T × hs and
/// hs × T, a few KB: L1-resident), so every inner loop is a vector loop over
/// positions or channels instead of a short dot product per score.
extension Suite {
  /// Causal multi-head self-attention over the sequences of a packed batch.
  ///
  /// Sequence i owns rows starts[i]..<starts[i+1] of qkv (N, 3C) (queries,
  /// then keys, then values; head h in channels [h·hs, (h+1)·hs) of each
  /// third) and of out (N, C); there is no padding between sequences.
  /// att: (B, H, maxT, attentionRowStride(maxT)) softmax probabilities saved
  /// for backward (row t holds t+1 entries, then zeros to a whole vector). Rows `from..<length` are computed; earlier rows'
  /// keys and values are read from `qkv`, which is what incremental decoding
  /// needs (b == 1). Runs (sequence, head) pairs in parallel: each writes
  /// only its own head's slice.
  public static func attentionForward(
    out: UnsafeMutablePointer<Float>, att: UnsafeMutablePointer<Float>,
    qkv: UnsafePointer<Float>, starts: UnsafePointer<Int>, b: Int, c: Int, heads: Int,
    maxT: Int, from: Int, threads: Int
  ) {
    let hs = c / heads
    let scale = 1 / Float(hs).squareRoot()
    let c3 = 3 * c
    var longest = 0
    var work = 0
    for i in 0..<b {
      let t = starts[i + 1] - starts[i]
      longest = max(longest, t)
      work += heads * (t - from) * t * hs
    }
    // Key tiles padded to whole vectors (tp columns), so score blocks never read past them.
    let tpMax = (longest + VF.scalarCount - 1) / VF.scalarCount * VF.scalarCount
    let ar = attentionRowStride(maxT)
    parallelChunks(b * heads, threads: work < 1 << 15 ? 1 : threads) { range in
      withUnsafeTemporaryAllocation(
        of: Float.self, capacity: tpMax * hs + longest * hs + hs + 2 * VF.scalarCount
      ) { buf in
        guard let kt = buf.baseAddress else { return }
        kt.update(repeating: 0, count: tpMax * hs)
        let vRows = kt + tpMax * hs  // (T, hs)
        let q = vRows + longest * hs  // (hs): the scaled query
        let keep = LaneMask(q + hs)
        for bh in range {
          let bi = bh / heads
          let h = bh % heads
          let t = starts[bi + 1] - starts[bi]
          let tp = (t + VF.scalarCount - 1) / VF.scalarCount * VF.scalarCount
          let base = qkv + starts[bi] * c3 + h * hs
          if (t - from) * 8 <= t {
            // Few new rows over a long prefix (incremental decoding): score
            // them against the keys in place rather than copying every key
            // and value of the prefix into tiles for one query.
            for ti in from..<t {
              let row = att + (bh * maxT + ti) * ar
              let n = ti + 1
              for d in 0..<hs { q[d] = base[ti * c3 + d] * scale }
              for t2 in 0..<n { row[t2] = dot(q, base + t2 * c3 + c, hs) }
              // The softmax reads whole vectors: the lanes past n must be finite.
              for t2 in n..<((n + VF.scalarCount - 1) / VF.scalarCount * VF.scalarCount) {
                row[t2] = 0
              }
              softmaxWholeVectors(row, n: n, keep: keep)
              weightedRowSum(
                out + (starts[bi] + ti) * c + h * hs, row, 1, base + 2 * c, c3, n: n, width: hs)
            }
            continue
          }
          // Keys transposed (hs, tp) and values (T, hs) of this head; the
          // columns t..<tp stay zero (a longer sequence's keys are cleared).
          for t2 in 0..<t {
            let kr = base + t2 * c3 + c
            for d in 0..<hs { kt[d * tp + t2] = kr[d] }
            (vRows + t2 * hs).update(from: base + t2 * c3 + 2 * c, count: hs)
          }
          for d in 0..<hs { for t2 in t..<tp { kt[d * tp + t2] = 0 } }
          for ti in from..<t {
            let row = att + (bh * maxT + ti) * ar
            let n = ti + 1
            for d in 0..<hs { q[d] = base[ti * c3 + d] * scale }
            // row[t2] = Σ_d q[d]·k[t2, d], vectorised over t2 (whole vectors).
            blockedScores(row, q, kt, stride: tp, n: n, depth: hs)
            softmaxWholeVectors(row, n: n, keep: keep)
            weightedRowSum(
              out + (starts[bi] + ti) * c + h * hs, row, 1, vRows, hs, n: n, width: hs)
          }
        }
      }
    }
  }

  /// Gradient of `attentionForward` (all rows), written (=, not accumulated)
  /// into dqkv (N, 3C): every element belongs to exactly one (sequence,
  /// head) and is written once.
  ///
  /// Two passes per (sequence, head): by query row, the probabilities'
  /// gradient (through the softmax) and dq; then by key position, dk and dv
  /// as column sums over the rows, accumulated in registers, so nothing is
  /// read-modified-written once per (row, key) pair.
  public static func attentionBackward(
    dqkv: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>,
    qkv: UnsafePointer<Float>, att: UnsafePointer<Float>,
    starts: UnsafePointer<Int>, b: Int, c: Int, heads: Int, maxT: Int, threads: Int
  ) {
    let hs = c / heads
    let scale = 1 / Float(hs).squareRoot()
    let c3 = 3 * c
    var longest = 0
    var work = 0
    for i in 0..<b {
      let t = starts[i + 1] - starts[i]
      longest = max(longest, t)
      work += heads * t * t * hs
    }
    let tpMax = (longest + VF.scalarCount - 1) / VF.scalarCount * VF.scalarCount
    let ar = attentionRowStride(maxT)
    parallelChunks(b * heads, threads: work < 1 << 15 ? 1 : threads) { range in
      withUnsafeTemporaryAllocation(
        of: Float.self, capacity: 2 * tpMax * hs + longest * tpMax
      ) { buf in
        guard let kRows = buf.baseAddress else { return }
        let vt = kRows + tpMax * hs  // values transposed (hs, tp), zero-padded
        let dP = vt + tpMax * hs  // pre-softmax gradients (T, tp), row ti holds ti + 1
        vt.update(repeating: 0, count: tpMax * hs)
        for bh in range {
          let bi = bh / heads
          let h = bh % heads
          let t = starts[bi + 1] - starts[bi]
          let tp = (t + VF.scalarCount - 1) / VF.scalarCount * VF.scalarCount
          let base = qkv + starts[bi] * c3 + h * hs
          let dbase = dqkv + starts[bi] * c3 + h * hs
          let gbase = dout + starts[bi] * c + h * hs
          let abase = att + bh * maxT * ar
          for t2 in 0..<t {
            (kRows + t2 * hs).update(from: base + t2 * c3 + c, count: hs)
            let vr = base + t2 * c3 + 2 * c
            for d in 0..<hs { vt[d * tp + t2] = vr[d] }
          }
          for d in 0..<hs { for t2 in t..<tp { vt[d * tp + t2] = 0 } }
          // The saved rows were written a whole forward ago and are read one
          // strided row at a time: touch each cache line of the row a few
          // rows ahead, so its miss overlaps this row's arithmetic (a load
          // whose value is only needed at the end is issued early).
          var touched: Float = 0
          for ti in 0..<t {
            let row = abase + ti * ar
            let g = gbase + ti * c
            let n = ti + 1
            let dpre = dP + ti * tp
            if ti + rowsAhead < t {
              let ahead = row + rowsAhead * ar
              var l = 0
              while l <= ti + rowsAhead {
                touched += ahead[l]
                l += 16
              }
            }
            // out = Σ att·v: the probabilities' gradient, then the softmax's.
            // Whole vectors: past n, att holds zeros and dpre reads zero
            // values, so the extra lanes add nothing and stay zero.
            blockedScores(dpre, g, vt, stride: tp, n: n, depth: hs)
            softmaxBackwardWholeVectors(dpre, row, n: n, scale: scale)
            // dq = Σ_t2 dpre[t2]·k[t2].
            weightedRowSum(dbase + ti * c3, dpre, 1, kRows, hs, n: n, width: hs)
          }
          // Keeps the touches (an unused sum would be removed): zero times a finite sum.
          if touched.isNaN { dP[0] += 0 }
          for t2 in 0..<t {
            // Rows ti ≥ t2 see key t2: dk = Σ dpre[ti][t2]·q[ti], dv = Σ att[ti][t2]·g[ti].
            let n = t - t2
            weightedRowSum(
              dbase + t2 * c3 + c, dP + t2 * tp + t2, tp, base + t2 * c3, c3, n: n, width: hs)
            weightedRowSum(
              dbase + t2 * c3 + 2 * c, abase + t2 * ar + t2, ar, gbase + t2 * c, c, n: n,
              width: hs)
          }
        }
      }
    }
  }
}

/// How far ahead `attentionBackward` touches the saved probability rows.
private let rowsAhead = 4

/// out[j] = Σ_{d < depth} x[d]·m[d·stride + j] for j < n, vectorised over
/// j with the sum over d in registers. Up to four vectors of j run together:
/// each accumulator is its own dependency chain, so the multiply-adds
/// overlap instead of waiting on each other's latency. Rows of `m` are
/// padded to whole vectors, so the last block reads padding, never past the
/// tile, and `out` gets whole vectors (room for n rounded up to a vector).
@inline(__always)
private func blockedScores(
  _ out: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ m: UnsafePointer<Float>,
  stride: Int, n: Int, depth: Int
) {
  let w = VF.scalarCount
  let blocks = (n + w - 1) / w
  var j = 0
  var left = blocks
  while left >= 4 {
    var a0 = VF()
    var a1 = VF()
    var a2 = VF()
    var a3 = VF()
    var mp = m + j
    for d in 0..<depth {
      let xv = VF(repeating: x[d])
      a0 = madd(a0, xv, loadV(mp))
      a1 = madd(a1, xv, loadV(mp + w))
      a2 = madd(a2, xv, loadV(mp + 2 * w))
      a3 = madd(a3, xv, loadV(mp + 3 * w))
      mp += stride
    }
    storeV(out + j, a0)
    storeV(out + j + w, a1)
    storeV(out + j + 2 * w, a2)
    storeV(out + j + 3 * w, a3)
    j += 4 * w
    left -= 4
  }
  while left >= 2 {
    var a0 = VF()
    var a1 = VF()
    var mp = m + j
    for d in 0..<depth {
      let xv = VF(repeating: x[d])
      a0 = madd(a0, xv, loadV(mp))
      a1 = madd(a1, xv, loadV(mp + w))
      mp += stride
    }
    storeV(out + j, a0)
    storeV(out + j + w, a1)
    j += 2 * w
    left -= 2
  }
  if left == 1 {
    var a0 = VF()
    var a1 = VF()
    var mp = m + j
    // Two chains over d (even and odd), summed once.
    var d = 0
    while d + 2 <= depth {
      a0 = madd(a0, VF(repeating: x[d]), loadV(mp))
      a1 = madd(a1, VF(repeating: x[d + 1]), loadV(mp + stride))
      mp += 2 * stride
      d += 2
    }
    if d < depth { a0 = madd(a0, VF(repeating: x[d]), loadV(mp)) }
    storeV(out + j, a0 + a1)
  }
}

/// 1 in lanes below a count, 0 above: a vector loaded from a table of
/// `width` ones then `width` zeros at offset width − count (no per-lane
/// inserts, which cost more than the arithmetic on short rows).
struct LaneMask {
  let table: UnsafeMutablePointer<Float>

  /// Fills `storage` (2 · VF.scalarCount floats).
  init(_ storage: UnsafeMutablePointer<Float>) {
    let w = VF.scalarCount
    storage.update(repeating: 1, count: w)
    (storage + w).update(repeating: 0, count: w)
    table = storage
  }

  /// Lanes < count are 1, the rest 0 (count in 1...width).
  @inline(__always)
  func ones(below count: Int) -> VF { loadV(table + VF.scalarCount - count) }
}

/// Softmax in place over row[0..<n], reading and writing whole vectors:
/// lanes from n to the end of the last vector are left zero.
@inline(__always)
private func softmaxWholeVectors(_ row: UnsafeMutablePointer<Float>, n: Int, keep: LaneMask) {
  let w = VF.scalarCount
  let last = (n - 1) / w * w
  let inLast = keep.ones(below: n - last)
  // Lanes past n must not win the maximum.
  let lastScores = loadV(row + last) + (inLast - 1) * 1e30
  var vmax = lastScores
  var j = 0
  while j < last {
    vmax = laneMax(vmax, loadV(row + j))
    j += w
  }
  let shift = VF(repeating: reduceMax(vmax))
  var vsum = VF()
  j = 0
  while j < last {
    let e = fastExp(loadV(row + j) - shift)
    storeV(row + j, e)
    vsum += e
    j += w
  }
  let e = fastExp(lastScores - shift) * inLast
  storeV(row + last, e)
  vsum += e
  let inv = VF(repeating: 1 / reduceSum(vsum))
  j = 0
  while j <= last {
    storeV(row + j, loadV(row + j) * inv)
    j += w
  }
}

/// dpre ← att·(dpre − Σ att·dpre)·scale over whole vectors (the softmax's
/// backward with the score scale folded in); att is zero past the row.
@inline(__always)
private func softmaxBackwardWholeVectors(
  _ dpre: UnsafeMutablePointer<Float>, _ att: UnsafePointer<Float>, n: Int, scale: Float
) {
  let w = VF.scalarCount
  var acc = VF()
  var j = 0
  while j < n {
    acc = madd(acc, loadV(att + j), loadV(dpre + j))
    j += w
  }
  let s = VF(repeating: reduceSum(acc))
  let sc = VF(repeating: scale)
  j = 0
  while j < n {
    let a = loadV(att + j)
    storeV(dpre + j, a * (loadV(dpre + j) - s) * sc)
    j += w
  }
}

/// out[0..<width] = Σ_{r < n} w[r·wStride]·rows[r·rowStride ..< r·rowStride + width]:
/// the accumulators stay in registers across the rows, up to 24 channels at
/// a time, with even and odd rows in separate accumulators (summed at the
/// end) so consecutive multiply-adds do not wait on each other.
@inline(__always)
private func weightedRowSum(
  _ out: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ wStride: Int,
  _ rows: UnsafePointer<Float>, _ rowStride: Int, n: Int, width: Int
) {
  typealias V8 = SIMD8<Float>
  @inline(__always) func load(_ p: UnsafePointer<Float>) -> V8 {
    UnsafeRawPointer(p).loadUnaligned(as: V8.self)
  }
  @inline(__always) func store(_ p: UnsafeMutablePointer<Float>, _ v: V8) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: V8.self)
  }
  var d = 0
  while d + 24 <= width {
    var (a0, a1, a2) = (V8(), V8(), V8())
    var (b0, b1, b2) = (V8(), V8(), V8())
    var p = rows + d
    var wp = w
    var r = 0
    while r + 2 <= n {
      let s = V8(repeating: wp[0])
      let t = V8(repeating: wp[wStride])
      let q = p + rowStride
      a0 = madd8(a0, s, load(p))
      a1 = madd8(a1, s, load(p + 8))
      a2 = madd8(a2, s, load(p + 16))
      b0 = madd8(b0, t, load(q))
      b1 = madd8(b1, t, load(q + 8))
      b2 = madd8(b2, t, load(q + 16))
      p += 2 * rowStride
      wp += 2 * wStride
      r += 2
    }
    if r < n {
      let s = V8(repeating: wp[0])
      a0 = madd8(a0, s, load(p))
      a1 = madd8(a1, s, load(p + 8))
      a2 = madd8(a2, s, load(p + 16))
    }
    store(out + d, a0 + b0)
    store(out + d + 8, a1 + b1)
    store(out + d + 16, a2 + b2)
    d += 24
  }
  while d + 8 <= width {
    var a0 = V8()
    var b0 = V8()
    var p = rows + d
    var wp = w
    var r = 0
    while r + 2 <= n {
      a0 = madd8(a0, V8(repeating: wp[0]), load(p))
      b0 = madd8(b0, V8(repeating: wp[wStride]), load(p + rowStride))
      p += 2 * rowStride
      wp += 2 * wStride
      r += 2
    }
    if r < n { a0 = madd8(a0, V8(repeating: wp[0]), load(p)) }
    store(out + d, a0 + b0)
    d += 8
  }
  while d < width {
    var s: Float = 0
    for r in 0..<n { s += w[r * wStride] * rows[r * rowStride + d] }
    out[d] = s
    d += 1
  }
}

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
  /// att: (B, H, maxT, maxT) softmax probabilities saved for backward (row t
  /// holds t+1 entries). Rows `from..<length` are computed; earlier rows'
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
    parallelChunks(b * heads, threads: work < 1 << 15 ? 1 : threads) { range in
      withUnsafeTemporaryAllocation(of: Float.self, capacity: tpMax * hs + longest * hs + hs) {
        buf in
        guard let kt = buf.baseAddress else { return }
        kt.update(repeating: 0, count: tpMax * hs)
        let vRows = kt + tpMax * hs  // (T, hs)
        let q = vRows + longest * hs  // (hs): the scaled query
        for bh in range {
          let bi = bh / heads
          let h = bh % heads
          let t = starts[bi + 1] - starts[bi]
          let tp = (t + VF.scalarCount - 1) / VF.scalarCount * VF.scalarCount
          let base = qkv + starts[bi] * c3 + h * hs
          // Keys transposed (hs, tp) and values (T, hs) of this head; the
          // columns t..<tp stay zero (a longer sequence's keys are cleared).
          for t2 in 0..<t {
            let kr = base + t2 * c3 + c
            for d in 0..<hs { kt[d * tp + t2] = kr[d] }
            (vRows + t2 * hs).update(from: base + t2 * c3 + 2 * c, count: hs)
          }
          for d in 0..<hs { for t2 in t..<tp { kt[d * tp + t2] = 0 } }
          for ti in from..<t {
            let row = att + (bh * maxT + ti) * maxT
            let n = ti + 1
            for d in 0..<hs { q[d] = base[ti * c3 + d] * scale }
            // row[t2] = Σ_d q[d]·k[t2, d], vectorised over t2.
            blockedScores(row, q, kt, stride: tp, n: n, depth: hs)
            softmaxForward(out: row, inp: row, n: n)
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
          let abase = att + bh * maxT * maxT
          for t2 in 0..<t {
            (kRows + t2 * hs).update(from: base + t2 * c3 + c, count: hs)
            let vr = base + t2 * c3 + 2 * c
            for d in 0..<hs { vt[d * tp + t2] = vr[d] }
          }
          for d in 0..<hs { for t2 in t..<tp { vt[d * tp + t2] = 0 } }
          for ti in 0..<t {
            let row = abase + ti * maxT
            let g = gbase + ti * c
            let n = ti + 1
            let dpre = dP + ti * tp
            // out = Σ att·v: the probabilities' gradient, then the softmax's.
            blockedScores(dpre, g, vt, stride: tp, n: n, depth: hs)
            var s: Float = 0
            for t2 in 0..<n { s += row[t2] * dpre[t2] }
            for t2 in 0..<n { dpre[t2] = row[t2] * (dpre[t2] - s) * scale }
            // dq = Σ_t2 dpre[t2]·k[t2].
            weightedRowSum(dbase + ti * c3, dpre, 1, kRows, hs, n: n, width: hs)
          }
          for t2 in 0..<t {
            // Rows ti ≥ t2 see key t2: dk = Σ dpre[ti][t2]·q[ti], dv = Σ att[ti][t2]·g[ti].
            let n = t - t2
            weightedRowSum(
              dbase + t2 * c3 + c, dP + t2 * tp + t2, tp, base + t2 * c3, c3, n: n, width: hs)
            weightedRowSum(
              dbase + t2 * c3 + 2 * c, abase + t2 * maxT + t2, maxT, gbase + t2 * c, c, n: n,
              width: hs)
          }
        }
      }
    }
  }
}

/// out[j] = Σ_{d < depth} x[d]·m[d·stride + j] for j < n, one vector of j
/// at a time with its accumulator in a register (rows of `m` are padded to
/// whole vectors, so the last block reads padding, never past the tile).
@inline(__always)
private func blockedScores(
  _ out: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ m: UnsafePointer<Float>,
  stride: Int, n: Int, depth: Int
) {
  var j = 0
  while j < n {
    var acc = VF()
    var mp = m + j
    for d in 0..<depth {
      acc = madd(acc, VF(repeating: x[d]), loadV(mp))
      mp += stride
    }
    if j + VF.scalarCount <= n {
      storeV(out + j, acc)
    } else {
      for l in 0..<(n - j) { out[j + l] = acc[l] }
    }
    j += VF.scalarCount
  }
}

/// out[0..<width] = Σ_{r < n} w[r·wStride]·rows[r·rowStride ..< r·rowStride + width]:
/// the accumulators stay in registers across the rows (summed in increasing
/// r), sixteen or eight channels at a time.
@inline(__always)
private func weightedRowSum(
  _ out: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ wStride: Int,
  _ rows: UnsafePointer<Float>, _ rowStride: Int, n: Int, width: Int
) {
  var d = 0
  while d + 16 <= width {
    var a0 = SIMD8<Float>()
    var a1 = SIMD8<Float>()
    var p = rows + d
    var wp = w
    for _ in 0..<n {
      let s = SIMD8<Float>(repeating: wp[0])
      a0 = madd8(a0, s, UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self))
      a1 = madd8(a1, s, UnsafeRawPointer(p + 8).loadUnaligned(as: SIMD8<Float>.self))
      p += rowStride
      wp += wStride
    }
    UnsafeMutableRawPointer(out + d).storeBytes(of: a0, as: SIMD8<Float>.self)
    UnsafeMutableRawPointer(out + d + 8).storeBytes(of: a1, as: SIMD8<Float>.self)
    d += 16
  }
  while d + 8 <= width {
    var a0 = SIMD8<Float>()
    var p = rows + d
    var wp = w
    for _ in 0..<n {
      a0 = madd8(
        a0, SIMD8<Float>(repeating: wp[0]),
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self))
      p += rowStride
      wp += wStride
    }
    UnsafeMutableRawPointer(out + d).storeBytes(of: a0, as: SIMD8<Float>.self)
    d += 8
  }
  while d < width {
    var s: Float = 0
    for r in 0..<n { s += w[r * wStride] * rows[r * rowStride + d] }
    out[d] = s
    d += 1
  }
}

import KernelSupport

/// Causal attention, one (sequence, head) pair at a time with that head's
/// keys and values first copied into small contiguous tiles (T × hs and
/// hs × T, a few KB: L1-resident), so every inner loop is a vector loop over
/// positions or channels instead of a short dot product per score.
extension Suite {
  /// Causal multi-head self-attention.
  ///
  /// qkv: (B, T, 3C), queries then keys then values, head h in channels
  /// [h·hs, (h+1)·hs) of each third.  out: (B, T, C).  att: (B, H, maxT, maxT)
  /// softmax probabilities saved for backward (row t holds t+1 entries).
  /// Rows `from..<T` are computed; earlier rows' keys and values are read from
  /// `qkv`, which is what incremental decoding needs. Runs (b, h) pairs in
  /// parallel: each writes only its own head's slice.
  public static func attentionForward(
    out: UnsafeMutablePointer<Float>, att: UnsafeMutablePointer<Float>,
    qkv: UnsafePointer<Float>, b: Int, t: Int, c: Int, heads: Int, maxT: Int, from: Int,
    threads: Int
  ) {
    let hs = c / heads
    let scale = 1 / Float(hs).squareRoot()
    let c3 = 3 * c
    let work = b * heads * (t - from) * t * hs
    parallelChunks(b * heads, threads: work < 1 << 15 ? 1 : threads) { range in
      // Key tiles padded to whole vectors (tp columns), so score blocks never read past them.
      let tp = (t + VF.scalarCount - 1) / VF.scalarCount * VF.scalarCount
      withUnsafeTemporaryAllocation(of: Float.self, capacity: tp * hs + t * hs + hs) { buf in
        guard let kt = buf.baseAddress else { return }
        kt.update(repeating: 0, count: tp * hs)
        let vRows = kt + tp * hs  // (T, hs)
        let q = vRows + t * hs  // (hs): the scaled query
        for bh in range {
          let bi = bh / heads
          let h = bh % heads
          let base = qkv + bi * t * c3 + h * hs
          // Keys transposed (hs, T) and values (T, hs) of this head.
          for t2 in 0..<t {
            let kr = base + t2 * c3 + c
            for d in 0..<hs { kt[d * tp + t2] = kr[d] }
            (vRows + t2 * hs).update(from: base + t2 * c3 + 2 * c, count: hs)
          }
          for ti in from..<t {
            let row = att + (bh * maxT + ti) * maxT
            let n = ti + 1
            for d in 0..<hs { q[d] = base[ti * c3 + d] * scale }
            // row[t2] = Σ_d q[d]·k[t2, d], vectorised over t2.
            blockedScores(row, q, kt, stride: tp, n: n, depth: hs)
            softmaxForward(out: row, inp: row, n: n)
            weightedRowSum(out + (bi * t + ti) * c + h * hs, row, vRows, n: n, width: hs)
          }
        }
      }
    }
  }

  /// Gradient of `attentionForward` (all rows), accumulated (+=) into dqkv (B, T, 3C).
  public static func attentionBackward(
    dqkv: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>,
    qkv: UnsafePointer<Float>, att: UnsafePointer<Float>,
    b: Int, t: Int, c: Int, heads: Int, maxT: Int, threads: Int
  ) {
    let hs = c / heads
    let scale = 1 / Float(hs).squareRoot()
    let c3 = 3 * c
    let work = b * heads * t * t * hs
    parallelChunks(b * heads, threads: work < 1 << 15 ? 1 : threads) { range in
      let tp = (t + VF.scalarCount - 1) / VF.scalarCount * VF.scalarCount
      withUnsafeTemporaryAllocation(of: Float.self, capacity: 4 * tp * hs + 2 * t + hs) { buf in
        guard let kRows = buf.baseAddress else { return }
        let vt = kRows + tp * hs  // values transposed (hs, tp), zero-padded
        let dkt = vt + tp * hs  // key gradients transposed (hs, tp)
        let dvt = dkt + tp * hs  // value gradients transposed (hs, tp)
        let datt = dvt + tp * hs  // (T)
        vt.update(repeating: 0, count: tp * hs)
        let dpre = datt + t  // (T)
        let dq = dpre + t  // (hs)
        for bh in range {
          let bi = bh / heads
          let h = bh % heads
          let base = qkv + bi * t * c3 + h * hs
          let dbase = dqkv + bi * t * c3 + h * hs
          for t2 in 0..<t {
            (kRows + t2 * hs).update(from: base + t2 * c3 + c, count: hs)
            let vr = base + t2 * c3 + 2 * c
            for d in 0..<hs { vt[d * tp + t2] = vr[d] }
          }
          dkt.update(repeating: 0, count: 2 * tp * hs)
          for ti in 0..<t {
            let row = att + (bh * maxT + ti) * maxT
            let g = dout + (bi * t + ti) * c + h * hs
            let q = base + ti * c3
            let n = ti + 1
            // out = Σ att·v: gradients to the probabilities and to v.
            blockedScores(datt, g, vt, stride: tp, n: n, depth: hs)
            for d in 0..<hs { axpyWide(dvt + d * tp, g[d], row, n) }
            // Softmax backward, then the scaled dot product's two operands.
            var s: Float = 0
            for t2 in 0..<n { s += row[t2] * datt[t2] }
            for t2 in 0..<n { dpre[t2] = row[t2] * (datt[t2] - s) * scale }
            weightedRowSum(dq, dpre, kRows, n: n, width: hs)
            let dqr = dbase + ti * c3
            for d in 0..<hs {
              dqr[d] += dq[d]
              axpyWide(dkt + d * tp, q[d], dpre, n)
            }
          }
          for t2 in 0..<t {
            let dk = dbase + t2 * c3 + c
            let dv = dbase + t2 * c3 + 2 * c
            for d in 0..<hs {
              dk[d] += dkt[d * tp + t2]
              dv[d] += dvt[d * tp + t2]
            }
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

/// y[i] += alpha·x[i] for `n` floats, a full vector at a time.
@inline(__always)
private func axpyWide(
  _ y: UnsafeMutablePointer<Float>, _ alpha: Float, _ x: UnsafePointer<Float>, _ n: Int
) {
  let va = VF(repeating: alpha)
  var i = 0
  while i + VF.scalarCount <= n {
    storeV(y + i, madd(loadV(y + i), va, loadV(x + i)))
    i += VF.scalarCount
  }
  while i < n {
    y[i] += alpha * x[i]
    i += 1
  }
}

/// out[0..<width] = Σ_{r < n} w[r]·rows[r·width ..< r·width + width]: the
/// accumulators stay in registers across the rows, eight channels at a time.
@inline(__always)
private func weightedRowSum(
  _ out: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ rows: UnsafePointer<Float>,
  n: Int, width: Int
) {
  var d = 0
  while d + 16 <= width {
    var a0 = SIMD8<Float>()
    var a1 = SIMD8<Float>()
    var p = rows + d
    for r in 0..<n {
      let s = SIMD8<Float>(repeating: w[r])
      a0 = madd8(a0, s, UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self))
      a1 = madd8(a1, s, UnsafeRawPointer(p + 8).loadUnaligned(as: SIMD8<Float>.self))
      p += width
    }
    UnsafeMutableRawPointer(out + d).storeBytes(of: a0, as: SIMD8<Float>.self)
    UnsafeMutableRawPointer(out + d + 8).storeBytes(of: a1, as: SIMD8<Float>.self)
    d += 16
  }
  while d + 8 <= width {
    var a0 = SIMD8<Float>()
    var p = rows + d
    for r in 0..<n {
      a0 = madd8(
        a0, SIMD8<Float>(repeating: w[r]), UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self))
      p += width
    }
    UnsafeMutableRawPointer(out + d).storeBytes(of: a0, as: SIMD8<Float>.self)
    d += 8
  }
  while d < width {
    var s: Float = 0
    for r in 0..<n { s += w[r] * rows[r * width + d] }
    out[d] = s
    d += 1
  }
}

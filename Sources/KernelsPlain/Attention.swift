import KernelSupport

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
      for bh in range {
        let bi = bh / heads
        let h = bh % heads
        let base = qkv + bi * t * c3 + h * hs
        for ti in from..<t {
          let q = base + ti * c3
          let row = att + (bh * maxT + ti) * maxT
          for t2 in 0...ti {
            row[t2] = dot(q, base + t2 * c3 + c, hs) * scale
          }
          softmaxForward(out: row, inp: row, n: ti + 1)
          let o = out + (bi * t + ti) * c + h * hs
          o.update(repeating: 0, count: hs)
          for t2 in 0...ti {
            axpy(o, row[t2], base + t2 * c3 + 2 * c, hs)
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
      withUnsafeTemporaryAllocation(of: Float.self, capacity: max(t, 1)) { tmp in
        guard let datt = tmp.baseAddress else { return }
        for bh in range {
          let bi = bh / heads
          let h = bh % heads
          let base = qkv + bi * t * c3 + h * hs
          let dbase = dqkv + bi * t * c3 + h * hs
          for ti in 0..<t {
            let row = att + (bh * maxT + ti) * maxT
            let g = dout + (bi * t + ti) * c + h * hs
            var s: Float = 0
            for t2 in 0...ti {
              // out = Σ att·v: gradients to the probabilities and to v.
              datt[t2] = dot(g, base + t2 * c3 + 2 * c, hs)
              axpy(dbase + t2 * c3 + 2 * c, row[t2], g, hs)
              s += row[t2] * datt[t2]
            }
            let q = base + ti * c3
            let dq = dbase + ti * c3
            for t2 in 0...ti {
              // Softmax backward, then the scaled dot product's two operands.
              let dpre = row[t2] * (datt[t2] - s) * scale
              axpy(dq, dpre, base + t2 * c3 + c, hs)
              axpy(dbase + t2 * c3 + c, dpre, q, hs)
            }
          }
        }
      }
    }
  }
}

import KernelSupport

/// Incremental decoding of many sequences at once: each step computes one
/// new row per live sequence, in one (R, C) batch through every matmul, and
/// reads the earlier rows' keys and values from a cache of its own.
///
/// The model's own incremental forward extends one sequence in place (B ==
/// 1); sequences that grow side by side cannot share its packed arena (a
/// longer first sequence would move the rows of the next), so each sequence
/// here owns a fixed slot of `rowsPerSequence` rows per layer. The kernels
/// are the model's, called on the same rows with the same arguments as its
/// forward, so a row's logits do not depend on which other sequences share
/// the step nor on the thread count (sampling is reproducible).
final class BatchDecoder {
  let model: TinyTransformer
  /// Sequences the cache holds.
  let sequences: Int
  /// Rows (positions) a sequence may reach.
  let rowsPerSequence: Int
  /// Largest number of rows one step computes.
  let maxRows: Int

  /// (L, sequences, rowsPerSequence, 3C): every computed row's q, k and v.
  private let cache: FloatBuffer
  /// Per-step activations, (maxRows, ·) each.
  private let x: FloatBuffer
  private let ln: FloatBuffer
  private let stats: FloatBuffer
  private let qkv: FloatBuffer
  private let atty: FloatBuffer
  private let proj: FloatBuffer
  private let res2: FloatBuffer
  private let fch: FloatBuffer
  private let fchGelu: FloatBuffer
  /// (maxRows, V): the logits of the last step.
  let logits: FloatBuffer
  /// wteᵀ (C, V), transposed once: the tied output projection.
  private let wteT: FloatBuffer
  /// One attention workspace per thread: softmax rows and one sequence's output rows.
  private let attScratch: FloatBuffer
  private let outScratch: FloatBuffer
  private let attPerThread: Int
  private let workers: Int

  init(model: TinyTransformer, sequences: Int, rowsPerSequence: Int) {
    let cfg = model.config
    let c = cfg.dim
    self.model = model
    self.sequences = sequences
    self.rowsPerSequence = min(rowsPerSequence, cfg.context)
    maxRows = max(1, sequences)
    cache = FloatBuffer(count: cfg.layers * sequences * self.rowsPerSequence * 3 * c)
    x = FloatBuffer(count: maxRows * c)
    ln = FloatBuffer(count: maxRows * c)
    stats = FloatBuffer(count: 2 * maxRows)
    qkv = FloatBuffer(count: maxRows * 3 * c)
    atty = FloatBuffer(count: maxRows * c)
    proj = FloatBuffer(count: maxRows * c)
    res2 = FloatBuffer(count: maxRows * c)
    fch = FloatBuffer(count: maxRows * 4 * c)
    fchGelu = FloatBuffer(count: maxRows * 4 * c)
    logits = FloatBuffer(count: maxRows * cfg.vocab)
    wteT = FloatBuffer(count: c * cfg.vocab)
    workers = max(1, min(model.threads, maxRows))
    // The kernel indexes softmax rows as (head, maxT, stride) with maxT = the slot's rows.
    attPerThread = cfg.heads * self.rowsPerSequence * attentionRowStride(self.rowsPerSequence)
    attScratch = FloatBuffer(count: workers * attPerThread)
    outScratch = FloatBuffer(count: workers * self.rowsPerSequence * c)
    model.k.transpose(
      wteT.base, model.params.base + model.layout.wte.lowerBound, rows: cfg.vocab, cols: c)
  }

  private func slot(layer: Int, sequence: Int) -> UnsafeMutablePointer<Float> {
    cache.base + ((layer * sequences + sequence) * rowsPerSequence) * 3 * model.config.dim
  }

  /// Copies rows 0..<count of the model's last forward's sequence starting
  /// at packed row `first` (a prompt run by `TinyTransformer.forward`) into
  /// the cache slot of each of `targets`.
  func loadPrefix(fromModelRow first: Int, count: Int, into targets: [Int]) {
    precondition(count <= rowsPerSequence, "prefix longer than a slot")
    let c3 = 3 * model.config.dim
    let al = model.al
    for li in 0..<model.config.layers {
      let src = model.acts.base + al.qkv + li * al.maxN * c3 + first * c3
      for s in targets { slot(layer: li, sequence: s).update(from: src, count: count * c3) }
    }
  }

  /// Runs one step: row r is token `tokens[r]` at position `positions[r]`
  /// of sequence `seqs[r]`, whose rows 0..<positions[r] are in the cache.
  /// Leaves the logits of row r at `logits.base + r·V`.
  func step(seqs: [Int], tokens: [Int32], positions: [Int]) {
    let n = seqs.count
    precondition(n >= 1 && n <= maxRows && tokens.count == n && positions.count == n)
    let m = model
    let k = m.k
    let cfg = m.config
    let c = cfg.dim
    let p = m.params.base
    let lay = m.layout
    let threads = m.threads
    for r in 0..<n {
      precondition(positions[r] < rowsPerSequence, "sequence past its slot")
      let tok = p + lay.wte.lowerBound + Int(tokens[r]) * c
      let pos = p + lay.wpe.lowerBound + positions[r] * c
      for j in 0..<c { x.base[r * c + j] = tok[j] + pos[j] }
    }
    let mean = stats.base
    let rstd = stats.base + maxRows
    for li in 0..<cfg.layers {
      k.layerNormForward(
        out: ln.base, mean: mean, rstd: rstd, inp: x.base, weight: p + lay.ln1w.lowerBound + li * c,
        bias: p + lay.ln1b.lowerBound + li * c, n: n, c: c)
      k.matmulForward(
        out: qkv.base, inp: ln.base, weight: p + lay.qkvw.lowerBound + li * c * 3 * c,
        bias: p + lay.qkvb.lowerBound + li * 3 * c, n: n, c: c, oc: 3 * c, threads: threads)
      for r in 0..<n {
        (slot(layer: li, sequence: seqs[r]) + positions[r] * 3 * c)
          .update(from: qkv.base + r * 3 * c, count: 3 * c)
      }
      attend(layer: li, seqs: seqs, positions: positions)
      k.matmulForward(
        out: proj.base, inp: atty.base, weight: p + lay.attprojw.lowerBound + li * c * c,
        bias: p + lay.attprojb.lowerBound + li * c, n: n, c: c, oc: c, threads: threads)
      k.residualForward(out: res2.base, a: x.base, b: proj.base, n: n * c)
      k.layerNormForward(
        out: ln.base, mean: mean, rstd: rstd, inp: res2.base,
        weight: p + lay.ln2w.lowerBound + li * c, bias: p + lay.ln2b.lowerBound + li * c, n: n,
        c: c)
      k.matmulForward(
        out: fch.base, inp: ln.base, weight: p + lay.fcw.lowerBound + li * c * 4 * c,
        bias: p + lay.fcb.lowerBound + li * 4 * c, n: n, c: c, oc: 4 * c, threads: threads)
      k.geluForward(out: fchGelu.base, inp: fch.base, n: n * 4 * c)
      k.matmulForward(
        out: proj.base, inp: fchGelu.base, weight: p + lay.fcprojw.lowerBound + li * 4 * c * c,
        bias: p + lay.fcprojb.lowerBound + li * c, n: n, c: 4 * c, oc: c, threads: threads)
      // The next layer's input (x) is this block's output.
      k.residualForward(out: x.base, a: res2.base, b: proj.base, n: n * c)
    }
    k.layerNormForward(
      out: ln.base, mean: mean, rstd: rstd, inp: x.base, weight: p + lay.lnfw.lowerBound,
      bias: p + lay.lnfb.lowerBound, n: n, c: c)
    k.matmulForward(
      out: logits.base, inp: ln.base, weight: wteT.base, bias: nil, n: n, c: c, oc: cfg.vocab,
      threads: threads)
  }

  /// Each row's attention over its own sequence's cached rows, by the
  /// model's kernel (B = 1, the new row only), rows split over the threads.
  private func attend(layer li: Int, seqs: [Int], positions: [Int]) {
    let n = seqs.count
    let c = model.config.dim
    let heads = model.config.heads
    let k = model.k
    let maxT = rowsPerSequence
    let per = (n + workers - 1) / workers
    parallelChunks(workers, threads: workers) { chunk in
      for w in chunk {
        let att = attScratch.base + w * attPerThread
        let out = outScratch.base + w * maxT * c
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 2) { starts in
          for r in (w * per)..<min(n, (w + 1) * per) {
            let t = positions[r] + 1
            starts[0] = 0
            starts[1] = t
            k.attentionForward(
              out: out, att: att, qkv: slot(layer: li, sequence: seqs[r]),
              starts: starts.baseAddress!, b: 1, c: c, heads: heads, maxT: maxT, from: t - 1,
              threads: 1)
            (atty.base + r * c).update(from: out + (t - 1) * c, count: c)
          }
        }
      }
    }
  }
}

import KernelSupport

/// Greedy decoding of many prompts at once with a key/value cache.
///
/// Evaluation decodes every held-out problem at every evaluation; one prompt
/// at a time, each generated token is a one-row pass through every matmul.
/// Here the prompts of a chunk run as one padded batch, their queries, keys
/// and values are kept per layer, and each step computes one row for every
/// sequence still decoding (finished ones drop out). Every kernel computes a
/// row from that row alone (attention: from the same sequence's earlier
/// positions) in a fixed order, so each sequence gets the logits, bit for
/// bit, of decoding it alone (tested against `greedyComplete`).
extension TinyTransformer {
  /// `greedyComplete` of each prompt, `maxBatch` prompts at a time.
  public func greedyCompleteAll(
    _ prompts: [String], maxTokens: Int, tokenizer: Tokenizer = .standard
  ) -> [String] {
    greedyDecodeAll(prompts.map { greedyPromptIDs($0, tokenizer: tokenizer) }, maxTokens: maxTokens)
      .map { tokenizer.decode($0) }
  }

  /// The generated ids of each prompt (`ids`: BOS + prompt, at most
  /// context - 1 long); `observe(i, logits)` sees each logits row used.
  func greedyDecodeAll(
    _ ids: [[Int32]], maxTokens: Int,
    observe: ((Int, UnsafeBufferPointer<Float>) -> Void)? = nil
  ) -> [[Int32]] {
    var out: [[Int32]] = []
    out.reserveCapacity(ids.count)
    var start = 0
    while start < ids.count {
      let end = min(ids.count, start + maxBatch)
      var chunk = GreedyChunk(model: self, ids: Array(ids[start..<end]))
      out += chunk.run(maxTokens: maxTokens) { i, row in observe?(start + i, row) }
      start = end
    }
    return out
  }
}

/// One chunk of `greedyDecodeAll`: the prompts' prefill through the model's
/// own forward, then per-step rows in buffers of its own.
private struct GreedyChunk {
  let model: TinyTransformer
  var ids: [[Int32]]
  var generated: [[Int32]]
  var done: [Bool]
  /// Per layer: (sequences, context, 3C) queries, keys and values.
  let cache: [FloatBuffer]
  let c: Int
  let ctx: Int

  init(model: TinyTransformer, ids: [[Int32]]) {
    self.model = model
    self.ids = ids
    generated = Array(repeating: [], count: ids.count)
    done = Array(repeating: false, count: ids.count)
    c = model.config.dim
    ctx = model.config.context
    cache = (0..<model.config.layers).map { [c, ctx] _ in
      FloatBuffer(count: ids.count * ctx * 3 * c)
    }
  }

  /// Whether sequence `s` takes another forward (the loop condition of `greedyComplete`).
  func live(_ s: Int, _ maxTokens: Int) -> Bool {
    !done[s] && generated[s].count < maxTokens && ids[s].count <= ctx
  }

  /// Takes the argmax of `row` as sequence `s`'s next token, as `greedyComplete` does.
  mutating func take(_ s: Int, _ row: UnsafeBufferPointer<Float>) {
    var best = 0
    for j in 1..<row.count where row[j] > row[best] { best = j }
    let next = Int32(best)
    if next == Tokenizer.eos {
      done[s] = true
      return
    }
    generated[s].append(next)
    ids[s].append(next)
  }

  mutating func run(
    maxTokens: Int, observe: (Int, UnsafeBufferPointer<Float>) -> Void
  ) -> [[Int32]] {
    guard maxTokens > 0, !ids.isEmpty else { return generated }
    prefill(observe)
    var rows = Rows(model: model, count: ids.count)
    while true {
      let active = ids.indices.filter { live($0, maxTokens) }
      if active.isEmpty { break }
      rows.step(active, ids: ids, cache: cache)
      for (i, s) in active.enumerated() {
        let row = rows.logits(i)
        observe(s, row)
        take(s, row)
      }
    }
    return generated
  }

  /// Every prompt through the model's forward as one padded batch (padding
  /// after a prompt cannot reach its rows: attention is causal); keeps each
  /// prompt's queries, keys and values and takes its first token.
  mutating func prefill(_ observe: (Int, UnsafeBufferPointer<Float>) -> Void) {
    let b = ids.count
    let t = ids.map(\.count).max() ?? 1
    var tokens = [Int32](repeating: Tokenizer.eos, count: b * t)
    for (s, row) in ids.enumerated() {
      for (j, id) in row.enumerated() { tokens[s * t + j] = id }
    }
    model.forward(tokens: tokens, targets: nil, b: b, t: t)
    let c3 = 3 * c
    for (l, layer) in cache.enumerated() {
      let qkv = model.acts.base + model.al.qkv + l * model.al.maxN * c3
      for s in 0..<b {
        (layer.base + s * ctx * c3).update(from: qkv + s * t * c3, count: ids[s].count * c3)
      }
    }
    for s in 0..<b {
      let row = model.logits(row: s * t + ids[s].count - 1)
      observe(s, row)
      take(s, row)
    }
  }
}

/// The activations of one decoding step, one row per sequence still decoding.
private struct Rows {
  let model: TinyTransformer
  let x: FloatBuffer, ln: FloatBuffer, qkv: FloatBuffer, atty: FloatBuffer, proj: FloatBuffer
  let res2: FloatBuffer, fch: FloatBuffer, gelu: FloatBuffer, stats: FloatBuffer
  let lnf: FloatBuffer, out: FloatBuffer, wteT: FloatBuffer
  /// One sequence's attention output (context, C) and probabilities (H, context, context).
  let attOut: FloatBuffer, att: FloatBuffer

  init(model: TinyTransformer, count n: Int) {
    self.model = model
    let cfg = model.config
    let c = cfg.dim
    x = FloatBuffer(count: n * c)
    ln = FloatBuffer(count: n * c)
    qkv = FloatBuffer(count: n * 3 * c)
    atty = FloatBuffer(count: n * c)
    proj = FloatBuffer(count: n * c)
    res2 = FloatBuffer(count: n * c)
    fch = FloatBuffer(count: n * 4 * c)
    gelu = FloatBuffer(count: n * 4 * c)
    stats = FloatBuffer(count: 2 * n)
    lnf = FloatBuffer(count: n * c)
    out = FloatBuffer(count: n * cfg.vocab)
    wteT = FloatBuffer(count: cfg.vocab * c)
    attOut = FloatBuffer(count: cfg.context * c)
    att = FloatBuffer(count: cfg.heads * cfg.context * cfg.context)
    model.k.transpose(
      wteT.base, model.params.base + model.layout.wte.lowerBound, rows: cfg.vocab, cols: c)
  }

  /// The logits of active row `i` of the last step.
  func logits(_ i: Int) -> UnsafeBufferPointer<Float> {
    let v = model.config.vocab
    return UnsafeBufferPointer(start: out.base + i * v, count: v)
  }

  /// One forward row for the last token of each of `active`, whose position
  /// is its index; its query, key and value go into `cache`.
  func step(_ active: [Int], ids: [[Int32]], cache: [FloatBuffer]) {
    let m = model
    let k = m.k
    let cfg = m.config
    let c = cfg.dim
    let c3 = 3 * c
    let ctx = cfg.context
    let n = active.count
    let p = m.params.base
    let lay = m.layout
    let threads = m.threads
    let mean = stats.base
    let rstd = stats.base + n
    for (i, s) in active.enumerated() {
      let pos = ids[s].count - 1
      let e = p + lay.wte.lowerBound + Int(ids[s][pos]) * c
      let w = p + lay.wpe.lowerBound + pos * c
      let o = x.base + i * c
      for j in 0..<c { o[j] = e[j] + w[j] }
    }
    for (li, layer) in cache.enumerated() {
      m.layerNormRows(
        out: ln.base, mean: mean, rstd: rstd, inp: x.base, weight: p + lay.ln1w.lowerBound + li * c,
        bias: p + lay.ln1b.lowerBound + li * c, n: n, c: c)
      k.matmulForward(
        out: qkv.base, inp: ln.base, weight: p + lay.qkvw.lowerBound + li * c * c3,
        bias: p + lay.qkvb.lowerBound + li * c3, n: n, c: c, oc: c3, threads: threads)
      for (i, s) in active.enumerated() {
        let pos = ids[s].count - 1
        let seq = layer.base + s * ctx * c3
        (seq + pos * c3).update(from: qkv.base + i * c3, count: c3)
        k.attentionForward(
          out: attOut.base, att: att.base, qkv: seq, b: 1, t: pos + 1, c: c, heads: cfg.heads,
          maxT: ctx, from: pos, threads: 1)
        (atty.base + i * c).update(from: attOut.base + pos * c, count: c)
      }
      k.matmulForward(
        out: proj.base, inp: atty.base, weight: p + lay.attprojw.lowerBound + li * c * c,
        bias: p + lay.attprojb.lowerBound + li * c, n: n, c: c, oc: c, threads: threads)
      k.residualForward(out: res2.base, a: x.base, b: proj.base, n: n * c)
      m.layerNormRows(
        out: ln.base, mean: mean, rstd: rstd, inp: res2.base,
        weight: p + lay.ln2w.lowerBound + li * c, bias: p + lay.ln2b.lowerBound + li * c, n: n,
        c: c)
      k.matmulForward(
        out: fch.base, inp: ln.base, weight: p + lay.fcw.lowerBound + li * c * 4 * c,
        bias: p + lay.fcb.lowerBound + li * 4 * c, n: n, c: c, oc: 4 * c, threads: threads)
      m.geluElements(out: gelu.base, inp: fch.base, n: n * 4 * c)
      k.matmulForward(
        out: proj.base, inp: gelu.base, weight: p + lay.fcprojw.lowerBound + li * 4 * c * c,
        bias: p + lay.fcprojb.lowerBound + li * c, n: n, c: 4 * c, oc: c, threads: threads)
      k.residualForward(out: x.base, a: res2.base, b: proj.base, n: n * c)
    }
    m.layerNormRows(
      out: lnf.base, mean: mean, rstd: rstd, inp: x.base, weight: p + lay.lnfw.lowerBound,
      bias: p + lay.lnfb.lowerBound, n: n, c: c)
    k.matmulForward(
      out: out.base, inp: lnf.base, weight: wteT.base, bias: nil, n: n, c: c, oc: cfg.vocab,
      threads: threads)
  }
}

import KernelSupport

/// A tiny causal transformer in llm.c's shape: one parameter buffer, one
/// gradient buffer, one activation arena, and an explicit forward and
/// backward that call the kernels layer by layer (no dynamic graph).
///
/// Token + position embeddings, `layers` pre-LayerNorm blocks (causal
/// multi-head attention, GELU MLP), a final LayerNorm and an output
/// projection tied to the token embedding. Not thread-safe: one owner drives
/// it; the kernels spread their own work over `threads`.
public final class TinyTransformer {
  /// The model's shape.
  public let config: ModelConfig
  /// Where each tensor lives in `params` and `grads`.
  public let layout: ParameterLayout
  /// Largest batch (sequences) a forward may take.
  public let maxBatch: Int
  /// Threads the kernels use.
  public var threads: Int
  /// Which build of the kernels this model runs.
  public let kernelPath: KernelPath
  /// The kernels of `kernelPath`.
  let k: any KernelSuite.Type

  let params: FloatBuffer
  let grads: FloatBuffer
  let acts: FloatBuffer
  let dacts: FloatBuffer
  let al: ActivationLayout
  let gl: GradientActivationLayout
  /// Input ids and targets of the last forward, packed: (N) each, sequence
  /// i's rows at starts[i]..<starts[i+1], no padding between sequences.
  var tokens: [Int32] = []
  var targets: [Int32] = []
  /// Row offsets of the last forward's sequences (B + 1 entries; room for maxBatch + 1).
  let starts: UnsafeMutablePointer<Int>
  /// Shape of the last forward, as its caller sees it: (B, T) padded.
  private(set) var lastB = 0
  private(set) var lastT = 0
  /// Rows of the last forward (Σ lengths; B·T when nothing was padded).
  private(set) var lastN = 0

  /// Builds a model with zeroed parameters (see `initialiseWeights`).
  public init(
    config: ModelConfig, maxBatch: Int, threads: Int = 1, kernels: KernelPath = .active
  ) {
    self.config = config
    kernelPath = kernels
    k = kernels.suite
    self.layout = ParameterLayout(config)
    self.maxBatch = max(1, maxBatch)
    self.threads = max(1, threads)
    al = ActivationLayout(config, maxBatch: self.maxBatch)
    gl = GradientActivationLayout(config, maxBatch: self.maxBatch)
    params = FloatBuffer(count: layout.count)
    grads = FloatBuffer(count: layout.count)
    acts = FloatBuffer(count: al.count)
    dacts = FloatBuffer(count: gl.count)
    starts = .allocate(capacity: self.maxBatch + 1)
    starts.initialize(repeating: 0, count: self.maxBatch + 1)
  }

  deinit { starts.deallocate() }

  /// Number of parameters.
  public var parameterCount: Int { layout.count }

  /// A copy of the parameters.
  public var parameters: [Float] {
    get { params.array }
    set { params.load(newValue) }
  }

  /// A copy of the gradients of the last backward.
  public var gradients: [Float] { grads.array }

  /// Sets every gradient to zero (before a step's backward passes).
  public func zeroGradients() { grads.zero() }

  // MARK: - Forward

  /// Runs the model on `tokens` (B, T) and, when `targets` (B, T) are given,
  /// the per-position cross-entropy (negative targets are ignored).
  ///
  /// `lengths[i]` (default T) is how many leading positions of sequence i
  /// are real: the rest is padding, which is dropped before the first
  /// kernel (the batch runs packed, N = Σ lengths rows), so padding costs
  /// nothing. A row's values do not depend on the padding or on the other
  /// sequences. Rows `from..<T` only are computed (incremental decoding;
  /// needs B == 1 and rows before `from` left by the previous call).
  /// Returns nothing: read `losses`, `logits(row:)`.
  public func forward(
    tokens: [Int32], targets: [Int32]?, b: Int, t: Int, lengths: [Int]? = nil, from: Int = 0
  ) {
    precondition(b >= 1 && b <= maxBatch && t >= 1 && t <= config.context, "bad batch shape")
    precondition(tokens.count == b * t, "tokens must be (B, T)")
    precondition(targets == nil || targets?.count == b * t, "targets must be (B, T)")
    precondition(from == 0 || b == 1, "incremental forward needs B == 1")
    precondition(lengths == nil || lengths?.count == b, "one length per sequence")
    let vocab = Int32(config.vocab)
    precondition(tokens.allSatisfy { $0 >= 0 && $0 < vocab }, "token id out of range")
    starts[0] = 0
    for i in 0..<b {
      let len = lengths?[i] ?? t
      precondition(len >= 1 && len <= t, "a sequence's length must be in 1...T")
      starts[i + 1] = starts[i] + len
    }
    lastB = b
    lastT = t
    lastN = starts[b]
    if lastN == b * t {
      self.tokens = tokens
      self.targets = targets ?? [Int32](repeating: -1, count: b * t)
    } else {
      self.tokens = packRows(tokens)
      self.targets = targets.map(packRows) ?? [Int32](repeating: -1, count: lastN)
    }
    let c = config.dim
    let l = config.layers
    let h = config.heads
    let v = config.vocab
    let maxT = config.context
    let n = lastN
    let rows = n - from  // rows computed (from..<t when b == 1)
    let p = params.base
    let a = acts.base
    let lay = layout
    self.tokens.withUnsafeBufferPointer { tok in
      prof(.embedding) {
        k.embeddingForward(
          out: a + al.encoded, tokens: tok.baseAddress!, wte: p + lay.wte.lowerBound,
          wpe: p + lay.wpe.lowerBound, starts: starts, b: b, c: c, from: from)
      }
    }
    let r0 = from  // first computed row (from == 0 unless b == 1)
    for li in 0..<l {
      let nc = li * al.maxN * c
      let residual = li == 0 ? a + al.encoded : a + al.residual3 + (li - 1) * al.maxN * c
      let ln1 = a + al.ln1 + nc
      let qkv = a + al.qkv + 3 * nc
      let atty = a + al.atty + nc
      let attproj = a + al.attproj + nc
      let res2 = a + al.residual2 + nc
      let ln2 = a + al.ln2 + nc
      let fch = a + al.fch + 4 * nc
      let fchGelu = a + al.fchGelu + 4 * nc
      let fcproj = a + al.fcproj + nc
      let res3 = a + al.residual3 + nc
      let stats = li * al.maxN
      prof(.layerNorm) {
        layerNormRows(
          out: ln1 + r0 * c, mean: a + al.ln1Mean + stats + r0, rstd: a + al.ln1Rstd + stats + r0,
          inp: residual + r0 * c, weight: p + lay.ln1w.lowerBound + li * c,
          bias: p + lay.ln1b.lowerBound + li * c, n: rows, c: c)
      }
      prof(.matmulQKV) {
        k.matmulForward(
          out: qkv + r0 * 3 * c, inp: ln1 + r0 * c,
          weight: p + lay.qkvw.lowerBound + li * c * 3 * c,
          bias: p + lay.qkvb.lowerBound + li * 3 * c, n: rows, c: c, oc: 3 * c, threads: threads)
      }
      prof(.attention) {
        k.attentionForward(
          out: atty, att: a + al.att + li * al.attPerLayer, qkv: qkv, starts: starts, b: b, c: c,
          heads: h, maxT: maxT, from: from, threads: threads)
      }
      prof(.matmulAttProj) {
        k.matmulForward(
          out: attproj + r0 * c, inp: atty + r0 * c,
          weight: p + lay.attprojw.lowerBound + li * c * c,
          bias: p + lay.attprojb.lowerBound + li * c, n: rows, c: c, oc: c, threads: threads)
      }
      prof(.residual) {
        k.residualForward(
          out: res2 + r0 * c, a: residual + r0 * c, b: attproj + r0 * c, n: rows * c)
      }
      prof(.layerNorm) {
        layerNormRows(
          out: ln2 + r0 * c, mean: a + al.ln2Mean + stats + r0, rstd: a + al.ln2Rstd + stats + r0,
          inp: res2 + r0 * c, weight: p + lay.ln2w.lowerBound + li * c,
          bias: p + lay.ln2b.lowerBound + li * c, n: rows, c: c)
      }
      prof(.matmulFC) {
        k.matmulForward(
          out: fch + r0 * 4 * c, inp: ln2 + r0 * c, weight: p + lay.fcw.lowerBound + li * c * 4 * c,
          bias: p + lay.fcb.lowerBound + li * 4 * c, n: rows, c: c, oc: 4 * c, threads: threads)
      }
      prof(.gelu) {
        geluElements(out: fchGelu + r0 * 4 * c, inp: fch + r0 * 4 * c, n: rows * 4 * c)
      }
      prof(.matmulFCProj) {
        k.matmulForward(
          out: fcproj + r0 * c, inp: fchGelu + r0 * 4 * c,
          weight: p + lay.fcprojw.lowerBound + li * 4 * c * c,
          bias: p + lay.fcprojb.lowerBound + li * c, n: rows, c: 4 * c, oc: c, threads: threads)
      }
      prof(.residual) {
        k.residualForward(out: res3 + r0 * c, a: res2 + r0 * c, b: fcproj + r0 * c, n: rows * c)
      }
    }
    let last = a + al.residual3 + (l - 1) * al.maxN * c
    prof(.layerNorm) {
      layerNormRows(
        out: a + al.lnf + r0 * c, mean: a + al.lnfMean + r0, rstd: a + al.lnfRstd + r0,
        inp: last + r0 * c, weight: p + lay.lnfw.lowerBound, bias: p + lay.lnfb.lowerBound,
        n: rows, c: c)
    }
    // Tied output projection: logits (N, V) = lnf (N, C) @ wteᵀ (C, V).
    let scratch = dacts.base + gl.scratch
    prof(.matmulLogits) { k.transpose(scratch, p + lay.wte.lowerBound, rows: v, cols: c) }
    prof(.matmulLogits) {
      k.matmulForward(
        out: a + al.logits + r0 * v, inp: a + al.lnf + r0 * c, weight: scratch, bias: nil,
        n: rows, c: c, oc: v, threads: threads)
    }
    self.targets.withUnsafeBufferPointer { tg in
      prof(.crossEntropy) {
        k.crossEntropyForward(
          losses: a + al.losses + r0, probs: a + al.probs + r0 * v, logits: a + al.logits + r0 * v,
          targets: tg.baseAddress! + r0, n: rows, v: v, threads: threads)
      }
    }
  }

  /// Per-position losses of the last forward, (B, T); zero where ignored
  /// and at padding.
  public var losses: [Float] {
    let packed = UnsafeBufferPointer(start: acts.base + al.losses, count: lastN)
    if lastN == lastB * lastT { return Array(packed) }
    var out = [Float](repeating: 0, count: lastB * lastT)
    for i in 0..<lastB {
      for p in 0..<(starts[i + 1] - starts[i]) { out[i * lastT + p] = packed[starts[i] + p] }
    }
    return out
  }

  /// The logits of row `row` (= b·T + t, t below sequence b's length) of the last forward.
  public func logits(row: Int) -> UnsafeBufferPointer<Float> {
    let (i, p) = row.quotientAndRemainder(dividingBy: lastT)
    precondition(p < starts[i + 1] - starts[i], "no logits at padding")
    return UnsafeBufferPointer(
      start: acts.base + al.logits + (starts[i] + p) * config.vocab, count: config.vocab)
  }

  /// The real (non-padding) positions of a (B, T) array, sequence by sequence.
  private func packRows<E>(_ x: [E]) -> [E] {
    var out: [E] = []
    out.reserveCapacity(lastN)
    for i in 0..<lastB {
      out += x[(i * lastT)..<(i * lastT + starts[i + 1] - starts[i])]
    }
    return out
  }

  // MARK: - Backward

  /// Backpropagates Σ dlosses[i]·losses[i] from the last (full) forward and
  /// accumulates (+=) into the parameter gradients.
  public func backward(dlosses: [Float]) {
    let b = lastB
    let n = lastN
    precondition(dlosses.count == b * lastT, "dlosses must be (B, T)")
    // Gradients at padding positions have nothing to flow into: dropped with the padding.
    let dlosses = n == b * lastT ? dlosses : packRows(dlosses)
    let c = config.dim
    let l = config.layers
    let h = config.heads
    let v = config.vocab
    let p = params.base
    let g = grads.base
    let a = acts.base
    let d = dacts.base
    let lay = layout
    let scratch = d + gl.scratch
    // Only what is accumulated into is zeroed: the residual-stream gradient,
    // dlnf and dlogits. The per-block temporaries (dln, datty, dqkv, dfch,
    // dfchGelu) are written whole by the kernel that produces them.
    prof(.zeroing) { dacts.zero(0, gl.dln) }
    dlosses.withUnsafeBufferPointer { dl in
      (d + gl.dlosses).update(from: dl.baseAddress!, count: n)
    }
    targets.withUnsafeBufferPointer { tg in
      prof(.backwardCrossEntropy) {
        k.crossEntropyBackward(
          dlogits: d + gl.dlogits, dlosses: d + gl.dlosses, probs: a + al.probs,
          targets: tg.baseAddress!, n: n, v: v, threads: threads)
      }
    }
    // logits = lnf @ wteᵀ: dlnf += dlogits @ wte; dwte += dlogitsᵀ @ lnf.
    prof(.backwardLogits) {
      k.gemm(
        d + gl.dlnf, d + gl.dlogits, p + lay.wte.lowerBound, m: n, k: v, n: c, accumulate: true,
        threads: threads)
    }
    prof(.backwardLogits) {
      k.gemmTN(
        g + lay.wte.lowerBound, d + gl.dlogits, a + al.lnf, m: v, k: n, n: c, accumulate: true,
        threads: threads)
    }
    let dres = d + gl.dresidual
    prof(.backwardLayerNorm) {
      k.layerNormBackward(
        dinp: dres, dweight: g + lay.lnfw.lowerBound, dbias: g + lay.lnfb.lowerBound,
        dout: d + gl.dlnf, inp: a + al.residual3 + (l - 1) * al.maxN * c,
        weight: p + lay.lnfw.lowerBound, mean: a + al.lnfMean, rstd: a + al.lnfRstd, n: n, c: c)
    }
    for li in stride(from: l - 1, through: 0, by: -1) {
      let nc = li * al.maxN * c
      let residual = li == 0 ? a + al.encoded : a + al.residual3 + (li - 1) * al.maxN * c
      let stats = li * al.maxN
      // `dres` holds d(residual3); the MLP branch's output gradient is the same tensor.
      prof(.backwardFCProj) {
        k.matmulBackward(
          dinp: d + gl.dfchGelu, dweight: g + lay.fcprojw.lowerBound + li * 4 * c * c,
          dbias: g + lay.fcprojb.lowerBound + li * c, dout: dres, inp: a + al.fchGelu + 4 * nc,
          weight: p + lay.fcprojw.lowerBound + li * 4 * c * c, n: n, c: 4 * c, oc: c,
          scratch: scratch, threads: threads)
      }
      prof(.backwardGELU) {
        geluBackwardElements(
          dinp: d + gl.dfch, inp: a + al.fch + 4 * nc, dout: d + gl.dfchGelu, n: n * 4 * c)
      }
      prof(.backwardFC) {
        k.matmulBackward(
          dinp: d + gl.dln, dweight: g + lay.fcw.lowerBound + li * c * 4 * c,
          dbias: g + lay.fcb.lowerBound + li * 4 * c, dout: d + gl.dfch, inp: a + al.ln2 + nc,
          weight: p + lay.fcw.lowerBound + li * c * 4 * c, n: n, c: c, oc: 4 * c,
          scratch: scratch, threads: threads)
      }
      // After this, `dres` holds d(residual2).
      prof(.backwardLayerNorm) {
        k.layerNormBackward(
          dinp: dres, dweight: g + lay.ln2w.lowerBound + li * c,
          dbias: g + lay.ln2b.lowerBound + li * c, dout: d + gl.dln, inp: a + al.residual2 + nc,
          weight: p + lay.ln2w.lowerBound + li * c, mean: a + al.ln2Mean + stats,
          rstd: a + al.ln2Rstd + stats, n: n, c: c)
      }
      prof(.backwardAttProj) {
        k.matmulBackward(
          dinp: d + gl.datty, dweight: g + lay.attprojw.lowerBound + li * c * c,
          dbias: g + lay.attprojb.lowerBound + li * c, dout: dres, inp: a + al.atty + nc,
          weight: p + lay.attprojw.lowerBound + li * c * c, n: n, c: c, oc: c,
          scratch: scratch, threads: threads)
      }
      // dqkv needs no zeroing: the attention backward writes all of it.
      prof(.backwardAttention) {
        k.attentionBackward(
          dqkv: d + gl.dqkv, dout: d + gl.datty, qkv: a + al.qkv + 3 * nc,
          att: a + al.att + li * al.attPerLayer, starts: starts, b: b, c: c, heads: h,
          maxT: config.context, threads: threads)
      }
      prof(.backwardQKV) {
        k.matmulBackward(
          dinp: d + gl.dln, dweight: g + lay.qkvw.lowerBound + li * c * 3 * c,
          dbias: g + lay.qkvb.lowerBound + li * 3 * c, dout: d + gl.dqkv, inp: a + al.ln1 + nc,
          weight: p + lay.qkvw.lowerBound + li * c * 3 * c, n: n, c: c, oc: 3 * c,
          scratch: scratch, threads: threads)
      }
      // After this, `dres` holds d(this block's input).
      prof(.backwardLayerNorm) {
        k.layerNormBackward(
          dinp: dres, dweight: g + lay.ln1w.lowerBound + li * c,
          dbias: g + lay.ln1b.lowerBound + li * c, dout: d + gl.dln, inp: residual,
          weight: p + lay.ln1w.lowerBound + li * c, mean: a + al.ln1Mean + stats,
          rstd: a + al.ln1Rstd + stats, n: n, c: c)
      }
    }
    tokens.withUnsafeBufferPointer { tok in
      prof(.backwardEmbedding) {
        k.embeddingBackward(
          dwte: g + lay.wte.lowerBound, dwpe: g + lay.wpe.lowerBound, dout: dres,
          tokens: tok.baseAddress!, starts: starts, b: b, c: c)
      }
    }
  }
}

/// Times `body` under `section` when `dpotop bench train --profile` asks.
@inline(__always)
func prof<R>(_ section: StepProfile.Section, _ body: () -> R) -> R {
  StepProfile.time(section, body)
}

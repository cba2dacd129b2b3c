import KernelSupport

/// Offsets of the forward activations in one arena, llm.c's
/// `ActivationTensors`. Per-layer tensors are strided by the largest batch
/// (maxN = maxB·maxT rows) so a row's address depends only on its position,
/// which lets incremental decoding extend a sequence in place.
struct ActivationLayout {
  let encoded: Int  // (N, C)
  let ln1: Int  // (L, N, C)
  let ln1Mean: Int  // (L, N)
  let ln1Rstd: Int  // (L, N)
  let qkv: Int  // (L, N, 3C)
  let atty: Int  // (L, N, C)
  let att: Int  // (L, B, H, maxT, attentionRowStride(maxT))
  let attproj: Int  // (L, N, C)
  let residual2: Int  // (L, N, C)
  let ln2: Int  // (L, N, C)
  let ln2Mean: Int  // (L, N)
  let ln2Rstd: Int  // (L, N)
  let fch: Int  // (L, N, 4C)
  let fchGelu: Int  // (L, N, 4C)
  let fcproj: Int  // (L, N, C)
  let residual3: Int  // (L, N, C)
  let lnf: Int  // (N, C)
  let lnfMean: Int  // (N)
  let lnfRstd: Int  // (N)
  let logits: Int  // (N, V)
  let probs: Int  // (N, V)
  let losses: Int  // (N)
  let count: Int
  /// Rows per layer slot (maxB·maxT).
  let maxN: Int
  let attPerLayer: Int

  init(_ config: ModelConfig, maxBatch: Int) {
    let c = config.dim
    let l = config.layers
    let n = maxBatch * config.context
    let v = config.vocab
    maxN = n
    attPerLayer =
      maxBatch * config.heads * config.context * attentionRowStride(config.context)
    var next = 0
    func take(_ size: Int) -> Int {
      defer { next += size }
      return next
    }
    encoded = take(n * c)
    ln1 = take(l * n * c)
    ln1Mean = take(l * n)
    ln1Rstd = take(l * n)
    qkv = take(l * n * 3 * c)
    atty = take(l * n * c)
    att = take(l * attPerLayer)
    attproj = take(l * n * c)
    residual2 = take(l * n * c)
    ln2 = take(l * n * c)
    ln2Mean = take(l * n)
    ln2Rstd = take(l * n)
    fch = take(l * n * 4 * c)
    fchGelu = take(l * n * 4 * c)
    fcproj = take(l * n * c)
    residual3 = take(l * n * c)
    lnf = take(n * c)
    lnfMean = take(n)
    lnfRstd = take(n)
    logits = take(n * v)
    probs = take(n * v)
    losses = take(n)
    count = next
  }
}

/// Offsets of the backward's gradient buffers. Unlike the activations these
/// are reused across layers: one residual-stream gradient that every block's
/// backward accumulates into, and one set of per-block temporaries.
struct GradientActivationLayout {
  let dresidual: Int  // (N, C)
  let dlnf: Int  // (N, C)
  let dlogits: Int  // (N, V)
  let dln: Int  // (N, C)   ln1 or ln2 output gradient
  let datty: Int  // (N, C)
  let dqkv: Int  // (N, 3C)
  let dfch: Int  // (N, 4C)
  let dfchGelu: Int  // (N, 4C)
  let dlosses: Int  // (N)
  let scratch: Int  // a weight transposed (matmul backward, tied logits)
  let count: Int

  init(_ config: ModelConfig, maxBatch: Int) {
    let c = config.dim
    let n = maxBatch * config.context
    let v = config.vocab
    var next = 0
    func take(_ size: Int) -> Int {
      defer { next += size }
      return next
    }
    dresidual = take(n * c)
    dlnf = take(n * c)
    dlogits = take(n * v)
    dln = take(n * c)
    datty = take(n * c)
    dqkv = take(n * 3 * c)
    dfch = take(n * 4 * c)
    dfchGelu = take(n * 4 * c)
    dlosses = take(n)
    scratch = take(max(4 * c * c, v * c))
    count = next
  }
}

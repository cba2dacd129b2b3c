/// The kernels the trainer calls, one conforming type per instruction-set
/// path (KernelsPlain, KernelsAVX2, KernelsAVX512: the same source compiled
/// three times with different code-generation flags). The trainer picks one
/// after checking the CPU, so code for a newer CPU never runs on an older one.
///
/// Tensor shapes follow llm.c's naming: B sequences, T positions, C channels,
/// N rows (B·T, or fewer when a batch is packed without padding), V vocabulary, H heads. Functions that say "accumulated"
/// add (+=) into their gradient outputs.
public protocol KernelSuite {
  /// c (m, n) (+)= a (m, k) @ b (k, n), row-major; every element summed in
  /// increasing k order whatever the tiling, so results do not depend on `threads`.
  static func gemm(
    _ c: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
    m: Int, k: Int, n: Int, accumulate: Bool, threads: Int)

  /// c (m, n) (+)= aᵀ @ b for a stored (k, m), in `gemm`'s summation order.
  static func gemmTN(
    _ c: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
    m: Int, k: Int, n: Int, accumulate: Bool, threads: Int)

  /// dst (cols, rows) = srcᵀ for src (rows, cols).
  static func transpose(
    _ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, rows: Int, cols: Int)

  /// out (N, OC) = inp (N, C) @ weight (C, OC) + bias (OC).
  static func matmulForward(
    out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>,
    weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
    n: Int, c: Int, oc: Int, threads: Int)

  /// Gradients of `matmulForward`: dinp written, dweight and dbias
  /// accumulated; `scratch` holds C·OC floats.
  static func matmulBackward(
    dinp: UnsafeMutablePointer<Float>?, dweight: UnsafeMutablePointer<Float>,
    dbias: UnsafeMutablePointer<Float>?,
    dout: UnsafePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    n: Int, c: Int, oc: Int, scratch: UnsafeMutablePointer<Float>, threads: Int)

  /// Causal multi-head attention over a packed batch: sequence i owns rows
  /// starts[i]..<starts[i+1] (B + 1 offsets, no padding) of qkv (N, 3C) and
  /// out (N, C); softmax rows are saved in att (B, H, maxT, attentionRowStride(maxT)); rows
  /// `from..<length` only (incremental decoding, b == 1).
  static func attentionForward(
    out: UnsafeMutablePointer<Float>, att: UnsafeMutablePointer<Float>,
    qkv: UnsafePointer<Float>, starts: UnsafePointer<Int>, b: Int, c: Int, heads: Int,
    maxT: Int, from: Int, threads: Int)

  /// Gradient of `attentionForward` (all rows), written (not accumulated)
  /// into dqkv (N, 3C): every element of the batch's rows is set.
  static func attentionBackward(
    dqkv: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>,
    qkv: UnsafePointer<Float>, att: UnsafePointer<Float>,
    starts: UnsafePointer<Int>, b: Int, c: Int, heads: Int, maxT: Int, threads: Int)

  /// LayerNorm over rows of inp (N, C), saving mean and rstd (N).
  static func layerNormForward(
    out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>,
    rstd: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>,
    weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, n: Int, c: Int)

  /// Gradients of `layerNormForward`, accumulated.
  static func layerNormBackward(
    dinp: UnsafeMutablePointer<Float>, dweight: UnsafeMutablePointer<Float>,
    dbias: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>,
    inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>, n: Int, c: Int)

  /// GELU (tanh approximation) over n floats.
  static func geluForward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, n: Int)

  /// Gradient of `geluForward`, written (not accumulated).
  static func geluBackward(
    dinp: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, dout: UnsafePointer<Float>,
    n: Int)

  /// out = a + b over n floats.
  static func residualForward(
    out: UnsafeMutablePointer<Float>, a: UnsafePointer<Float>, b: UnsafePointer<Float>, n: Int)

  /// Packed batch (rows of sequence i: starts[i]..<starts[i+1]): row
  /// starts[i] + p = wte[tokens[row]] + wpe[p], for p in `from..<length`.
  static func embeddingForward(
    out: UnsafeMutablePointer<Float>, tokens: UnsafePointer<Int32>,
    wte: UnsafePointer<Float>, wpe: UnsafePointer<Float>, starts: UnsafePointer<Int>, b: Int,
    c: Int, from: Int)

  /// Gradient of `embeddingForward`, accumulated (sequential: a fixed order).
  static func embeddingBackward(
    dwte: UnsafeMutablePointer<Float>, dwpe: UnsafeMutablePointer<Float>,
    dout: UnsafePointer<Float>, tokens: UnsafePointer<Int32>, starts: UnsafePointer<Int>,
    b: Int, c: Int)

  /// Softmax + cross-entropy per row of logits (N, V); negative targets skipped.
  static func crossEntropyForward(
    losses: UnsafeMutablePointer<Float>, probs: UnsafeMutablePointer<Float>,
    logits: UnsafePointer<Float>, targets: UnsafePointer<Int32>, n: Int, v: Int, threads: Int)

  /// dlogits[i] += dlosses[i]·(probs[i] − onehot(targets[i])).
  static func crossEntropyBackward(
    dlogits: UnsafeMutablePointer<Float>, dlosses: UnsafePointer<Float>,
    probs: UnsafePointer<Float>, targets: UnsafePointer<Int32>, n: Int, v: Int, threads: Int)

  /// Softmax of one row; returns log Σ exp(inp).
  static func softmaxForward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, n: Int)
    -> Float

  /// Gradient of `softmaxForward` for one row, accumulated.
  static func softmaxBackward(
    dinp: UnsafeMutablePointer<Float>, out: UnsafePointer<Float>, dout: UnsafePointer<Float>,
    n: Int)

  /// The vectorised e^x and tanh(x) the kernels use, over n floats (for tests).
  static func vectorExp(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, n: Int)
  static func vectorTanh(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, n: Int)

  /// Σ grads², accumulated in Double in a fixed order.
  static func sumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Double

  /// One AdamW update (see `AdamW.swift` in the trainer for the formula),
  /// the parameters split over `threads` (the same bits for any count).
  static func adamW(
    params: UnsafeMutablePointer<Float>, grads: UnsafePointer<Float>,
    m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>,
    decay: UnsafePointer<Bool>, count: Int, hyper: AdamWStep, threads: Int)
}

/// The scalars of one AdamW update.
public struct AdamWStep: Sendable {
  /// Learning rate.
  public var lr: Float
  /// Moment decays.
  public var beta1: Float
  public var beta2: Float
  /// Bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ.
  public var correction1: Float
  public var correction2: Float
  /// Denominator guard.
  public var eps: Float
  /// Decoupled weight decay where `decay` is true.
  public var weightDecay: Float
  /// Gradient scale from the global-norm clip (≤ 1).
  public var clipScale: Float

  /// Creates the scalars.
  public init(
    lr: Float, beta1: Float, beta2: Float, correction1: Float, correction2: Float, eps: Float,
    weightDecay: Float, clipScale: Float
  ) {
    self.lr = lr
    self.beta1 = beta1
    self.beta2 = beta2
    self.correction1 = correction1
    self.correction2 = correction2
    self.eps = eps
    self.weightDecay = weightDecay
    self.clipScale = clipScale
  }
}

/// Floats per saved attention row: maxT rounded up to 16, so the kernels
/// store and read whole vectors of probabilities (the lanes past a row's
/// length hold zeros) on every path.
public func attentionRowStride(_ maxT: Int) -> Int { (maxT + 15) / 16 * 16 }

/// All weights live in one buffer; each tensor is a named range into it
/// (llm.c's layout). Per-layer tensors stack their layers first.
///
/// Linear weights are stored input-major, (in, out), so the forward product
/// needs no transpose (see `matmulForward`).
public struct ParameterLayout: Sendable, Equatable {
  let wte: Range<Int>  // (V, C)  token embedding, tied with the output projection
  let wpe: Range<Int>  // (maxT, C)
  let ln1w: Range<Int>  // (L, C)
  let ln1b: Range<Int>  // (L, C)
  let qkvw: Range<Int>  // (L, C, 3C)
  let qkvb: Range<Int>  // (L, 3C)
  let attprojw: Range<Int>  // (L, C, C)
  let attprojb: Range<Int>  // (L, C)
  let ln2w: Range<Int>  // (L, C)
  let ln2b: Range<Int>  // (L, C)
  let fcw: Range<Int>  // (L, C, 4C)
  let fcb: Range<Int>  // (L, 4C)
  let fcprojw: Range<Int>  // (L, 4C, C)
  let fcprojb: Range<Int>  // (L, C)
  let lnfw: Range<Int>  // (C)
  let lnfb: Range<Int>  // (C)
  /// Total number of parameters.
  public let count: Int

  /// Carves the tensors of `config` out of one buffer.
  public init(_ config: ModelConfig) {
    let v = config.vocab
    let c = config.dim
    let l = config.layers
    var next = 0
    func take(_ n: Int) -> Range<Int> {
      defer { next += n }
      return next..<next + n
    }
    wte = take(v * c)
    wpe = take(config.context * c)
    ln1w = take(l * c)
    ln1b = take(l * c)
    qkvw = take(l * c * 3 * c)
    qkvb = take(l * 3 * c)
    attprojw = take(l * c * c)
    attprojb = take(l * c)
    ln2w = take(l * c)
    ln2b = take(l * c)
    fcw = take(l * c * 4 * c)
    fcb = take(l * 4 * c)
    fcprojw = take(l * 4 * c * c)
    fcprojb = take(l * c)
    lnfw = take(c)
    lnfb = take(c)
    count = next
  }

  /// The matrices (weight decay applies to these only).
  var matrices: [Range<Int>] { [qkvw, attprojw, fcw, fcprojw] }
  /// LayerNorm gains (initialised to one).
  var gains: [Range<Int>] { [ln1w, ln2w, lnfw] }
  /// Output projections of each block's two branches (initialised smaller,
  /// as in GPT-2, so the residual stream starts near the embedding).
  var branchOutputs: [Range<Int>] { [attprojw, fcprojw] }
}

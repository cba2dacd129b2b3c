/// dpotop's parameters as the tensors of transformers' `GPT2LMHeadModel`.
///
/// The architectures match detail for detail (docs/export.md): learned
/// position embeddings, pre-LayerNorm blocks, causal attention scaled by
/// 1/√(head size), GELU's tanh approximation (`gelu_new`), LayerNorm ε 1e-5,
/// a final LayerNorm and an output projection tied to the token embedding.
///
/// No transposes: GPT-2's `Conv1D` keeps its weight as (in, out), which is
/// how dpotop stores every linear weight; the fused `c_attn` output holds q,
/// then k, then v, each head-major, as dpotop's `qkvw` does. The output head
/// is tied, so, as `save_pretrained` does, no `lm_head.weight` is written.
enum GPT2Tensors {
  /// The named tensors of `parameters` (laid out as `ParameterLayout(config)`),
  /// in file order: embeddings, each block's tensors, the final LayerNorm.
  static func tensors(_ parameters: [Float], config: ModelConfig) -> [Safetensors.Tensor] {
    let layout = ParameterLayout(config)
    precondition(parameters.count == layout.count, "parameters do not fit the model shape")
    let c = config.dim
    func slice(_ range: Range<Int>, layer: Int? = nil, per: Int = 0) -> [Float] {
      guard let layer else { return Array(parameters[range]) }
      let start = range.lowerBound + layer * per
      return Array(parameters[start..<start + per])
    }
    var out: [Safetensors.Tensor] = [
      .init(name: "transformer.wte.weight", shape: [config.vocab, c], values: slice(layout.wte)),
      .init(name: "transformer.wpe.weight", shape: [config.context, c], values: slice(layout.wpe)),
    ]
    for l in 0..<config.layers {
      let h = "transformer.h.\(l)."
      func add(_ name: String, _ shape: [Int], _ range: Range<Int>) {
        let per = shape.reduce(1, *)
        out.append(.init(name: h + name, shape: shape, values: slice(range, layer: l, per: per)))
      }
      add("ln_1.weight", [c], layout.ln1w)
      add("ln_1.bias", [c], layout.ln1b)
      add("attn.c_attn.weight", [c, 3 * c], layout.qkvw)
      add("attn.c_attn.bias", [3 * c], layout.qkvb)
      add("attn.c_proj.weight", [c, c], layout.attprojw)
      add("attn.c_proj.bias", [c], layout.attprojb)
      add("ln_2.weight", [c], layout.ln2w)
      add("ln_2.bias", [c], layout.ln2b)
      add("mlp.c_fc.weight", [c, 4 * c], layout.fcw)
      add("mlp.c_fc.bias", [4 * c], layout.fcb)
      add("mlp.c_proj.weight", [4 * c, c], layout.fcprojw)
      add("mlp.c_proj.bias", [c], layout.fcprojb)
    }
    out.append(.init(name: "transformer.ln_f.weight", shape: [c], values: slice(layout.lnfw)))
    out.append(.init(name: "transformer.ln_f.bias", shape: [c], values: slice(layout.lnfb)))
    return out
  }
}

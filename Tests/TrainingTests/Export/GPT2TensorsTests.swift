import Testing

@testable import Training

@Suite struct GPT2TensorsTests {
  let config = ModelConfig(
    vocab: Tokenizer.standard.vocabSize, context: 16, dim: 8, layers: 2, heads: 2)

  @Test func everyParameterLandsOnceUnderGPT2sNamesAndShapes() {
    let layout = ParameterLayout(config)
    // Each parameter's value is its index, so a tensor shows where it came from.
    let params = (0..<layout.count).map(Float.init)
    let tensors = GPT2Tensors.tensors(params, config: config)
    #expect(tensors.count == 2 + 12 * config.layers + 2)
    #expect(tensors.map(\.values.count).reduce(0, +) == layout.count)
    #expect(Set(tensors.flatMap(\.values)).count == layout.count)
    let byName = Dictionary(uniqueKeysWithValues: tensors.map { ($0.name, $0) })
    #expect(byName["transformer.wte.weight"]?.shape == [config.vocab, 8])
    #expect(byName["transformer.wpe.weight"]?.shape == [16, 8])
    // No lm_head: it is tied to wte, as save_pretrained writes GPT-2.
    #expect(byName["lm_head.weight"] == nil)
    let cAttn = byName["transformer.h.1.attn.c_attn.weight"]
    #expect(cAttn?.shape == [8, 24])
    // Layer 1's (in, out) block of qkvw, as stored: no transpose.
    #expect(cAttn?.values.first == Float(layout.qkvw.lowerBound + 8 * 24))
    #expect(cAttn?.values.last == Float(layout.qkvw.lowerBound + 2 * 8 * 24 - 1))
    #expect(byName["transformer.h.0.mlp.c_fc.weight"]?.shape == [8, 32])
    #expect(byName["transformer.h.0.mlp.c_proj.weight"]?.shape == [32, 8])
    #expect(byName["transformer.h.1.ln_2.bias"]?.values.first == Float(layout.ln2b.lowerBound + 8))
    #expect(byName["transformer.ln_f.bias"]?.values.last == Float(layout.count - 1))
  }
}

import Testing

@testable import Training

@Suite struct ReferenceLogProbsTests {
  let shape = ModelConfig(
    vocab: Tokenizer.standard.vocabSize, context: 48, dim: 8, layers: 1, heads: 2)

  func pairs() throws -> [PreferencePair] {
    try BuiltinDataset.mathLowEdit.pairs(count: 6, seed: 3)
  }

  @Test func computesEachPairOnceAndMatchesADirectForward() throws {
    let model = TinyTransformer(config: shape, maxBatch: 8)
    model.initialiseWeights(seed: 11)
    let cache = ReferenceLogProbs(
      config: shape, parameters: model.parameters, maxPairs: 2, threads: 1)
    let pairs = try pairs()
    let first = cache.logProbs(pairs, [4, 1, 4], key: 0)
    #expect(cache.computedSequences == 4)  // pairs 1 and 4, chosen + rejected
    let again = cache.logProbs(pairs, [1, 4], key: 0)
    #expect(cache.computedSequences == 4)  // cached
    #expect(again[0] == first[1] && again[1] == first[0])
    // Another dataset key is cached separately.
    _ = cache.logProbs(pairs, [1], key: 1)
    #expect(cache.computedSequences == 6)
    // Same values as scoring the pair alone, bit for bit (batching and padding do not matter).
    let direct = model.sequenceLogProbs(
      SequenceBatch(
        [
          PromptCompletion(prompt: pairs[4].prompt, completion: pairs[4].chosen),
          PromptCompletion(prompt: pairs[4].prompt, completion: pairs[4].rejected),
        ], context: shape.context))
    #expect(first[0].0 == direct[0] && first[0].1 == direct[1])
  }
}

import Foundation
import Testing

@testable import Training

/// Batched sampling with the incremental decoder (best-of-N's draws).
@Suite struct CompletionSamplerTests {
  static let shape = ModelConfig(
    vocab: Tokenizer.standard.vocabSize, context: 48, dim: 16, layers: 2, heads: 2)

  /// A random model whose logits are far from uniform (weights scaled up).
  static func model(threads: Int = 1, maxBatch: Int = 4, path: KernelPath = .active)
    -> TinyTransformer
  {
    let m = TinyTransformer(config: shape, maxBatch: maxBatch, threads: threads, kernels: path)
    m.initialiseWeights(seed: 7)
    var rng = ModelRNG(seed: 99)
    for i in 0..<m.parameterCount { m.params[i] += Float(rng.normal() * 0.3) }
    return m
  }

  /// Prompts of several lengths; the last leaves the context too little
  /// room for `maxTokens`, so the context limit ends its samples.
  static let prompts = [
    "12+30=", "7*8=", "Sam has 3 cups.\n", "", "A long prompt that fills the context up=",
  ]

  static func draw(
    _ m: TinyTransformer, _ prompts: [String] = prompts, samples: Int = 5, maxTokens: Int = 12,
    temperature: Double = 1, step: Int = 25, offset: Int = 0
  ) -> [[SampledCompletion]] {
    m.sampleCompletions(
      prompts, samples: samples, maxTokens: maxTokens, temperature: temperature
    ) { BestOfN.rng(seed: 1, step: step, prompt: offset + $0, sample: $1) }
  }

  @Test func samplingIsSeededAndTheSameAtAnyThreadCountOrBatching() {
    let one = Self.draw(Self.model(threads: 1))
    #expect(one.count == Self.prompts.count && one.allSatisfy { $0.count == 5 })
    for threads in [2, 3] {
      #expect(Self.draw(Self.model(threads: threads, maxBatch: 2)) == one, "threads \(threads)")
    }
    // Each prompt drawn alone: the same samples (a row does not see its batch).
    let m = Self.model()
    for (i, prompt) in Self.prompts.enumerated() {
      #expect(Self.draw(m, [prompt], offset: i) == [one[i]])
    }
    // Another step (or another seed's stream) draws other samples.
    #expect(Self.draw(m, step: 50) != one)
    // The samples of one prompt are not all the same.
    #expect(Set(one[0].map(\.text)).count > 1)
  }

  @Test(arguments: KernelPath.supported) func oneSampleAtTemperatureZeroIsTheGreedyDecode(
    path: KernelPath
  ) {
    let m = Self.model(path: path)
    let short = Array(Self.prompts.dropLast())
    let drawn = Self.draw(m, short, samples: 1, maxTokens: 20, temperature: 0)
    for (prompt, samples) in zip(short, drawn) {
      #expect(samples.map(\.text) == [m.greedyComplete(prompt, maxTokens: 20)], "\(prompt)")
    }
    // Several samples at temperature 0 are all the greedy decode.
    let many = Self.draw(m, short, samples: 3, maxTokens: 20, temperature: 0)
    for (a, b) in zip(many, drawn) { #expect(a == [b[0], b[0], b[0]]) }
  }

  @Test func theShippedReferencesGreedyDecodesAreTheSameBatched() throws {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("sample-runs/reference/checkpoints/final.ckpt").path
    let checkpoint = try Checkpoint.read(from: path)
    let m = TinyTransformer(config: checkpoint.header.model, maxBatch: 8, threads: 2)
    m.parameters = checkpoint.parameters
    let data = try DatasetSource.preferences(
      "math-low-edit", trainCount: 4, heldOutCount: 6, seed: 1)
    let prompts = data.heldOut.map(\.prompt)
    let drawn = m.sampleCompletions(
      prompts, samples: 1, maxTokens: TaskAccuracy.maxTokens, temperature: 0
    ) { BestOfN.rng(seed: 1, step: 0, prompt: $0, sample: $1) }
    let greedy = prompts.map { m.greedyComplete($0, maxTokens: TaskAccuracy.maxTokens) }
    #expect(drawn.map { $0[0].text } == greedy)
    #expect(greedy.allSatisfy { $0.contains("####") })
  }

  @Test func sampledLogProbsEqualAFreshScoringOfTheirText() {
    let m = Self.model(maxBatch: 8)
    let drawn = Self.draw(m, samples: 4)
    var cutByContext = 0
    for (prompt, samples) in zip(Self.prompts, drawn) {
      let items = samples.map { PromptCompletion(prompt: prompt, completion: $0.text) }
      let batch = SequenceBatch(items, context: Self.shape.context)
      #expect(!batch.truncated.contains(true))
      let fresh = m.sequenceLogProbs(batch)
      for (s, f) in zip(samples, fresh) {
        #expect(abs(s.logProb - f) < 1e-4, "\(prompt)|\(s.text): \(s.logProb) vs \(f)")
        #expect(Tokenizer.standard.encode(s.text) == s.tokens)
      }
      if prompt.count + 1 + 12 > Self.shape.context {
        cutByContext += samples.filter { prompt.count + 1 + $0.tokens.count == 48 }.count
      }
    }
    #expect(cutByContext > 0, "the long prompt's samples end at the context")
  }

  @Test func drawFollowsTheSoftmaxAndNeverDrawsTokensWithoutText() {
    var logits = [Float](repeating: -30, count: Tokenizer.standard.vocabSize)
    logits[Int(Tokenizer.pad)] = 5  // the most likely, but it has no text
    logits[Int(Tokenizer.eos)] = 0
    logits[10] = log(3)  // three times as likely as EOS
    var rng = ModelRNG(seed: 4)
    var counts: [Int32: Int] = [:]
    logits.withUnsafeBufferPointer { row in
      for _ in 0..<4000 {
        counts[TinyTransformer.draw(row, temperature: 1, rng: &rng), default: 0] += 1
      }
      #expect(TinyTransformer.draw(row, temperature: 0, rng: &rng) == Tokenizer.pad)
      let lp = TinyTransformer.logSoftmax(row, at: 10)
      let z = logits.map { exp(Double($0)) }.reduce(0, +)
      #expect(abs(lp - log(3 / z)) < 1e-6)
    }
    #expect(counts[Tokenizer.pad] == nil && counts[Tokenizer.bos] == nil)
    #expect(counts[Tokenizer.unk] == nil)
    let eos = Double(counts[Tokenizer.eos] ?? 0)
    let ten = Double(counts[10] ?? 0)
    #expect(abs(ten / eos - 3) < 0.4, "\(ten) / \(eos)")
  }
}

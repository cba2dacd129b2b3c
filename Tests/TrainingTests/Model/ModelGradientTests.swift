import Foundation
import Testing

@testable import Training

/// Whole-model checks: the hand-written backward of the sequence log-prob
/// against central differences on parameters sampled from every tensor.
@Suite struct ModelGradientTests {
  static let tiny = ModelConfig(
    vocab: Tokenizer.standard.vocabSize, context: 16, dim: 8, layers: 2, heads: 2)

  static let items = [
    PromptCompletion(prompt: "2+3=", completion: "5"),
    PromptCompletion(prompt: "Tom has 4.", completion: "4 + 1 = 5\n#### 5"),
    PromptCompletion(prompt: "x", completion: "abc"),
  ]

  /// A model whose weights are larger than GPT-2's init so every path
  /// carries signal the differences can see.
  static func model(_ path: KernelPath) -> TinyTransformer {
    let m = TinyTransformer(config: tiny, maxBatch: 4, threads: 2, kernels: path)
    m.initialiseWeights(seed: 7)
    var rng = ModelRNG(seed: 99)
    for i in 0..<m.parameterCount { m.params[i] += Float(rng.normal() * 0.2) }
    return m
  }

  /// A few indices from each tensor, always including its first element.
  static func sampledIndices(_ layout: ParameterLayout) -> [Int] {
    let ranges = [
      layout.wte, layout.wpe, layout.ln1w, layout.ln1b, layout.qkvw, layout.qkvb,
      layout.attprojw, layout.attprojb, layout.ln2w, layout.ln2b, layout.fcw, layout.fcb,
      layout.fcprojw, layout.fcprojb, layout.lnfw, layout.lnfb,
    ]
    var rng = ModelRNG(seed: 5)
    var out: [Int] = []
    for r in ranges {
      out.append(r.lowerBound)
      for _ in 0..<3 { out.append(r.lowerBound + Int(rng.next() % UInt64(r.count))) }
    }
    return out
  }

  @Test(arguments: KernelPath.supported) func sequenceLogProbBackwardMatchesFiniteDifferences(
    path: KernelPath
  ) {
    let m = Self.model(path)
    let batch = SequenceBatch(Self.items, context: Self.tiny.context)
    let upstream = [0.8, -1.1, 0.5]
    let loss = { () -> Double in
      zip(m.sequenceLogProbs(batch), upstream).map { $0 * $1 }.reduce(0, +)
    }
    _ = loss()
    m.zeroGradients()
    m.sequenceLogProbsBackward(batch, upstream: upstream)
    // The wte rows of tokens the batch never uses carry no signal; sample used ones.
    var indices = Self.sampledIndices(m.layout)
    let used = Set(batch.tokens.map(Int.init))
    indices.append(contentsOf: used.prefix(4).map { $0 * Self.tiny.dim + 1 })
    checkGradient(
      "model", x: m.params.base, analytic: m.gradients, indices: indices, eps: 1e-2,
      atol: 3e-3, rtol: 5e-2, loss: loss)
  }

  @Test(arguments: KernelPath.supported) func completionLossBackwardMatchesFiniteDifferences(
    path: KernelPath
  ) {
    let m = Self.model(path)
    let batch = SequenceBatch(Self.items, context: Self.tiny.context)
    m.zeroGradients()
    _ = m.completionLoss(batch, backward: true)
    let grads = m.gradients
    let loss = { () -> Double in m.completionLoss(batch, backward: false).loss }
    checkGradient(
      "sft", x: m.params.base, analytic: grads, indices: Self.sampledIndices(m.layout),
      eps: 1e-2, atol: 1e-3, rtol: 5e-2, loss: loss)
  }

  @Test(arguments: KernelPath.supported) func logProbIsSumOfCompletionTokenLogProbsOnly(
    path: KernelPath
  ) {
    let m = Self.model(path)
    // Same completion, different prompts: both sums cover exactly the completion + EOS.
    let batch = SequenceBatch(
      [
        PromptCompletion(prompt: "ab", completion: "xyz"),
        PromptCompletion(prompt: "abcdef", completion: "xyz"),
      ], context: 16)
    #expect(batch.scoredTokens == [4, 4])
    let lp = m.sequenceLogProbs(batch)
    // Recompute by hand from the logits of each scored row.
    for i in 0..<2 {
      var s = 0.0
      for p in 0..<batch.t where batch.targets[i * batch.t + p] >= 0 {
        let row = m.logits(row: i * batch.t + p)
        let mx = row.max() ?? 0
        let lse = Double(mx) + log(row.map { exp(Double($0 - mx)) }.reduce(0, +))
        s += Double(row[Int(batch.targets[i * batch.t + p])]) - lse
      }
      #expect(abs(s - lp[i]) < 1e-4)
      #expect(lp[i] < 0)
    }
  }

  @Test(arguments: KernelPath.supported) func paddingDoesNotChangeALogProb(path: KernelPath) {
    let m = Self.model(path)
    let short = PromptCompletion(prompt: "ab", completion: "c")
    let long = PromptCompletion(prompt: "a longer one", completion: "ccc")
    let alone = m.sequenceLogProbs(SequenceBatch([short], context: 16))[0]
    let padded = m.sequenceLogProbs(SequenceBatch([short, long], context: 16))[0]
    #expect(abs(alone - padded) < 1e-5)
  }

  @Test(arguments: KernelPath.supported) func packedBatchMatchesThePaddedOne(path: KernelPath) {
    // The model drops padding (runs Σ lengths rows); running the same batch
    // padded (lengths omitted) must give the same losses at every real
    // position, bit for bit, and the same gradients up to summation order.
    let m = Self.model(path)
    let batch = SequenceBatch(Self.items, context: Self.tiny.context)
    #expect(batch.lengths.reduce(0, +) < batch.b * batch.t)
    let upstream = [0.8, -1.1, 0.5]
    m.zeroGradients()
    let packed = m.sequenceLogProbs(batch)
    let packedLosses = m.losses
    m.sequenceLogProbsBackward(batch, upstream: upstream)
    let packedGrads = m.gradients
    m.zeroGradients()
    m.forward(tokens: batch.tokens, targets: batch.targets, b: batch.b, t: batch.t)
    let paddedLosses = m.losses
    var dl = [Float](repeating: 0, count: batch.b * batch.t)
    for i in 0..<batch.b {
      for p in 0..<batch.t where batch.targets[i * batch.t + p] >= 0 {
        dl[i * batch.t + p] = Float(-upstream[i])
      }
    }
    m.backward(dlosses: dl)
    let paddedGrads = m.gradients
    for i in 0..<batch.b {
      for p in 0..<batch.lengths[i] {
        #expect(packedLosses[i * batch.t + p] == paddedLosses[i * batch.t + p])
      }
      for p in batch.lengths[i]..<batch.t { #expect(packedLosses[i * batch.t + p] == 0) }
      var s = 0.0
      for p in 0..<batch.t where batch.targets[i * batch.t + p] >= 0 {
        s -= Double(paddedLosses[i * batch.t + p])
      }
      #expect(s == packed[i])
    }
    let scale = paddedGrads.map { abs($0) }.max() ?? 1
    let worst = zip(packedGrads, paddedGrads).map { abs($0 - $1) }.max() ?? 0
    #expect(worst <= 1e-5 * scale)
    #expect(packedGrads != [Float](repeating: 0, count: packedGrads.count))
  }

  @Test(arguments: KernelPath.supported) func wholeModelIsBitIdenticalAcrossThreadCounts(
    path: KernelPath
  ) {
    let shape = ModelConfig(
      vocab: Tokenizer.standard.vocabSize, context: 48, dim: 32, layers: 2, heads: 2)
    let items = (0..<6).map {
      PromptCompletion(
        prompt: "Ann has \($0) pens, buys 3.", completion: "\($0)+3=\($0 + 3)\n#### 9")
    }
    let batch = SequenceBatch(items, context: shape.context)
    var runs: [([Double], [Float])] = []
    for threads in [1, 2] {
      let m = TinyTransformer(config: shape, maxBatch: 6, threads: threads, kernels: path)
      m.initialiseWeights(seed: 4)
      m.zeroGradients()
      let lp = m.sequenceLogProbs(batch)
      m.sequenceLogProbsBackward(batch, upstream: [1, -1, 0.5, 2, -0.3, 0.1])
      runs.append((lp, m.gradients))
    }
    #expect(runs[0].0 == runs[1].0)
    #expect(runs[0].1 == runs[1].1)
  }

  @Test(arguments: KernelPath.supported) func incrementalDecodingMatchesFullForward(
    path: KernelPath
  ) {
    let m = Self.model(path)
    let tok = Tokenizer.standard
    let ids = [Tokenizer.bos] + tok.encode("12+30=")
    m.forward(tokens: ids, targets: nil, b: 1, t: ids.count)
    let full = Array(m.logits(row: ids.count - 1))
    let prefix = Array(ids.dropLast())
    m.forward(tokens: prefix, targets: nil, b: 1, t: prefix.count)
    m.forward(tokens: ids, targets: nil, b: 1, t: ids.count, from: prefix.count)
    let incremental = Array(m.logits(row: ids.count - 1))
    for (a, b) in zip(full, incremental) { #expect(abs(a - b) < 1e-5) }
    let text = m.greedyComplete("12+30=", maxTokens: 5)
    #expect(text.count <= 5)
  }
}

private func log(_ x: Double) -> Double { Foundation.log(x) }
private func exp(_ x: Double) -> Double { Foundation.exp(x) }

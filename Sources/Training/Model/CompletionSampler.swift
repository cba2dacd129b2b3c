import Foundation

/// One drawn completion of a prompt.
public struct SampledCompletion: Sendable, Equatable {
  /// The new tokens (no EOS).
  public var tokens: [Int32]
  /// Their text.
  public var text: String
  /// log πθ(text + EOS | prompt) at temperature 1: the quantity
  /// `sequenceLogProbs` scores, summed as the tokens were drawn.
  public var logProb: Double
}

extension TinyTransformer {
  /// Rows one decoding step computes at most: enough prompts' samples side
  /// by side that the matmuls run on full tiles.
  static let sampleRowsPerStep = 64

  /// Draws `samples` completions of each of `prompts` at `temperature`,
  /// sequence (prompt i, sample j) from `rng(i, j)` alone, so what is drawn
  /// depends on neither the thread count nor how sequences are batched.
  ///
  /// A completion ends at EOS, at `maxTokens` new tokens, or when the next
  /// token would not fit the context; its `logProb` includes log πθ(EOS) at
  /// the end either way, as `SequenceBatch` scores every completion. At
  /// temperature 0 each step takes the argmax over every token, and the
  /// text is `greedyComplete`'s (TaskAccuracy decodes this way); otherwise the tokens without text (padding, BOS,
  /// unknown) are never drawn, so the text scores back to the same tokens
  /// (their probability under a trained model is negligible). Prompts are
  /// run once each; their keys and values are shared by their samples.
  public func sampleCompletions(
    _ prompts: [String], samples: Int, maxTokens: Int, temperature: Double,
    tokenizer: Tokenizer = .standard, rng: (_ prompt: Int, _ sample: Int) -> ModelRNG
  ) -> [[SampledCompletion]] {
    guard samples >= 1, !prompts.isEmpty else { return prompts.map { _ in [] } }
    let ctx = config.context
    let ids: [[Int32]] = prompts.map { prompt in
      let all = [Tokenizer.bos] + tokenizer.encode(prompt)
      // As greedyComplete: keep room for at least one generated token.
      return all.count > ctx - 1 ? [Tokenizer.bos] + all.suffix(ctx - 2) : all
    }
    let group = max(1, Self.sampleRowsPerStep / samples)
    var out: [[SampledCompletion]] = []
    out.reserveCapacity(prompts.count)
    var start = 0
    while start < prompts.count {
      let range = start..<min(prompts.count, start + group)
      out += sampleGroup(
        Array(ids[range]), first: start, samples: samples, maxTokens: maxTokens,
        temperature: temperature, tokenizer: tokenizer, rng: rng)
      start = range.upperBound
    }
    return out
  }

  /// `sampleCompletions` for a few prompts whose samples fit one step.
  private func sampleGroup(
    _ prompts: [[Int32]], first: Int, samples: Int, maxTokens: Int, temperature: Double,
    tokenizer: Tokenizer, rng: (Int, Int) -> ModelRNG
  ) -> [[SampledCompletion]] {
    let v = config.vocab
    let longest = prompts.map(\.count).max() ?? 1
    let decoder = BatchDecoder(
      model: self, sequences: prompts.count * samples, rowsPerSequence: longest + maxTokens)
    // Each prompt's last-row logits: the first draw of all its samples.
    let promptLogits = FloatBuffer(count: prompts.count * v)
    var start = 0
    while start < prompts.count {
      let chunk = start..<min(prompts.count, start + maxBatch)
      let t = chunk.map { prompts[$0].count }.max() ?? 1
      var tokens = [Int32](repeating: Tokenizer.pad, count: chunk.count * t)
      for (i, g) in chunk.enumerated() {
        for (p, id) in prompts[g].enumerated() { tokens[i * t + p] = id }
      }
      let lengths = chunk.map { prompts[$0].count }
      forward(tokens: tokens, targets: nil, b: chunk.count, t: t, lengths: lengths)
      var row = 0
      for (i, g) in chunk.enumerated() {
        decoder.loadPrefix(
          fromModelRow: row, count: lengths[i], into: Array((g * samples)..<((g + 1) * samples)))
        let last = logits(row: i * t + lengths[i] - 1)
        (promptLogits.base + g * v).update(from: last.baseAddress!, count: v)
        row += lengths[i]
      }
      start = chunk.upperBound
    }
    let count = prompts.count * samples
    var rngs = (0..<count).map { rng(first + $0 / samples, $0 % samples) }
    var generated = [[Int32]](repeating: [], count: count)
    var logProbs = [Double](repeating: 0, count: count)
    // Sequences still drawing, and the row of the last step holding each one's logits.
    var live = Array(0..<count)
    var rowOf = [Int](repeating: -1, count: count)
    while !live.isEmpty {
      var next: [Int] = []
      var tokens: [Int32] = []
      var positions: [Int] = []
      for s in live {
        let g = s / samples
        let rows = prompts[g].count + generated[s].count
        let row = UnsafeBufferPointer(
          start: rowOf[s] < 0 ? promptLogits.base + g * v : decoder.logits.base + rowOf[s] * v,
          count: v)
        if generated[s].count >= maxTokens {
          logProbs[s] += Self.logSoftmax(row, at: Int(Tokenizer.eos))
          continue
        }
        if rows >= decoder.rowsPerSequence {
          // No room for another input position. At temperature 0 the argmax
          // is kept, as greedyComplete keeps it (its log-prob then lacks the
          // end token); a sample ends here so its text scores back exactly.
          let last =
            temperature <= 0 ? Self.draw(row, temperature: 0, rng: &rngs[s]) : Tokenizer.eos
          if last != Tokenizer.eos { generated[s].append(last) }
          logProbs[s] += Self.logSoftmax(row, at: Int(last))
          continue
        }
        let token = Self.draw(row, temperature: temperature, rng: &rngs[s])
        logProbs[s] += Self.logSoftmax(row, at: Int(token))
        if token == Tokenizer.eos { continue }
        generated[s].append(token)
        next.append(s)
        tokens.append(token)
        positions.append(rows)
      }
      guard !next.isEmpty else { break }
      decoder.step(seqs: next, tokens: tokens, positions: positions)
      for (r, s) in next.enumerated() { rowOf[s] = r }
      live = next
    }
    return (0..<prompts.count).map { g in
      ((g * samples)..<((g + 1) * samples)).map { s in
        SampledCompletion(
          tokens: generated[s], text: tokenizer.decode(generated[s]), logProb: logProbs[s])
      }
    }
  }

  /// The next token from one row of logits: the argmax at temperature 0
  /// (the first of equals, as `greedyComplete`), else a draw from
  /// softmax(logits / temperature) over EOS and the tokens with text.
  static func draw(_ row: UnsafeBufferPointer<Float>, temperature: Double, rng: inout ModelRNG)
    -> Int32
  {
    if temperature <= 0 {
      var best = 0
      for j in 1..<row.count where row[j] > row[best] { best = j }
      return Int32(best)
    }
    let drawable = { (j: Int) in j == Int(Tokenizer.eos) || j >= Tokenizer.specials }
    var top = -Double.infinity
    for j in 0..<row.count where drawable(j) { top = max(top, Double(row[j])) }
    var weights = [Double](repeating: 0, count: row.count)
    var total = 0.0
    for j in 0..<row.count where drawable(j) {
      weights[j] = exp((Double(row[j]) - top) / temperature)
      total += weights[j]
    }
    var u = rng.unit() * total
    var last = Int(Tokenizer.eos)
    for j in 0..<row.count where weights[j] > 0 {
      last = j
      u -= weights[j]
      if u < 0 { return Int32(j) }
    }
    return Int32(last)  // rounding left u ≥ 0 past the last weight
  }

  /// log softmax(row)[index] at temperature 1, in Double.
  static func logSoftmax(_ row: UnsafeBufferPointer<Float>, at index: Int) -> Double {
    var top = -Double.infinity
    for x in row { top = max(top, Double(x)) }
    var sum = 0.0
    for x in row { sum += exp(Double(x) - top) }
    return Double(row[index]) - top - log(sum)
  }
}

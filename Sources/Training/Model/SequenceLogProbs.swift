extension TinyTransformer {
  /// log πθ(completion | prompt) for each sequence of `batch`: the sum over
  /// its scored (completion) positions of the log-probability of the target
  /// token. Runs a forward pass; `sequenceLogProbsBackward` may follow.
  public func sequenceLogProbs(_ batch: SequenceBatch) -> [Double] {
    forward(
      tokens: batch.tokens, targets: batch.targets, b: batch.b, t: batch.t, lengths: batch.lengths)
    return prof(.sequenceLogProbs) {
      let losses = self.losses
      var out = [Double](repeating: 0, count: batch.b)
      for i in 0..<batch.b {
        var s = 0.0
        for p in 0..<batch.t where batch.targets[i * batch.t + p] >= 0 {
          s -= Double(losses[i * batch.t + p])
        }
        out[i] = s
      }
      return out
    }
  }

  /// Accumulates the gradient of Σᵢ upstream[i]·logp[i] into the parameter
  /// gradients, where logp is what `sequenceLogProbs(batch)` just returned
  /// (the activations of that forward must still be in place).
  public func sequenceLogProbsBackward(_ batch: SequenceBatch, upstream: [Double]) {
    precondition(upstream.count == batch.b, "one upstream gradient per sequence")
    let dl = prof(.sequenceLogProbs) {
      var dl = [Float](repeating: 0, count: batch.b * batch.t)
      for i in 0..<batch.b {
        // logp = −Σ losses over scored positions.
        let g = Float(-upstream[i])
        for p in 0..<batch.t where batch.targets[i * batch.t + p] >= 0 {
          dl[i * batch.t + p] = g
        }
      }
      return dl
    }
    backward(dlosses: dl)
  }

  /// Mean next-token cross-entropy over the scored positions of `batch`
  /// (the SFT loss), with its gradient accumulated when `backward` is true.
  /// Returns the loss and the number of scored tokens.
  public func completionLoss(_ batch: SequenceBatch, backward doBackward: Bool) -> (
    loss: Double, tokens: Int
  ) {
    forward(
      tokens: batch.tokens, targets: batch.targets, b: batch.b, t: batch.t, lengths: batch.lengths)
    let losses = self.losses
    var total = 0.0
    var count = 0
    for i in 0..<(batch.b * batch.t) where batch.targets[i] >= 0 {
      total += Double(losses[i])
      count += 1
    }
    guard count > 0 else { return (0, 0) }
    if doBackward {
      let w = Float(1 / Double(count))
      backward(dlosses: batch.targets.map { $0 >= 0 ? w : 0 })
    }
    return (total / Double(count), count)
  }
}

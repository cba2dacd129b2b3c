import RunLog

extension TinyTransformer {
  /// log πθ of each scored token (the completion's characters, then EOS) of
  /// each sequence of `batch`, from the forward that just ran on `batch`
  /// (`sequenceLogProbs`): no extra forward. Each row sums, in Double, to
  /// what `sequenceLogProbs` returned for it.
  func scoredTokenLogProbs(_ batch: SequenceBatch) -> [[Double]] {
    let losses = self.losses
    return (0..<batch.b).map { i in
      var row: [Double] = []
      row.reserveCapacity(batch.scoredTokens[i])
      for p in 0..<batch.t where batch.targets[i * batch.t + p] >= 0 {
        row.append(-Double(losses[i * batch.t + p]))
      }
      return row
    }
  }

  /// Runs a forward on `batch` and returns its per-token log-probs.
  func tokenLogProbs(_ batch: SequenceBatch) -> [[Double]] {
    _ = sequenceLogProbs(batch)
    return scoredTokenLogProbs(batch)
  }
}

extension SequenceBatch {
  /// The scored target ids of sequence `i` (completion tokens, then EOS).
  func scoredTargets(_ i: Int) -> [Int32] {
    targets[(i * t)..<((i + 1) * t)].filter { $0 >= 0 }
  }
}

/// The texts of a completion's scored tokens: its characters (one token
/// each, as the tokenizer reads them, unknown ones as written), then the end
/// token, cut to `count` when the context cut the completion.
func scoredTokenTexts(_ completion: String, count: Int) -> [String] {
  var out: [String] = []
  out.reserveCapacity(count)
  for ch in completion where out.count < count {
    // The tokenizer reads "\r\n" as one newline token.
    out.append(ch == "\r\n" ? "\n" : String(ch))
  }
  if out.count < count { out.append(ProbeRecord.endToken) }
  return out
}

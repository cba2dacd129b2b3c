extension TinyTransformer {
  /// Continues `prompt` by greedy decoding (argmax each step) until EOS,
  /// `maxTokens` new tokens or the context is full; returns the new text.
  ///
  /// Incremental: the prompt runs once, then each new token computes only
  /// its own row, reading earlier keys and values from the arena. Many
  /// prompts: `greedyCompleteAll` (same decodes, batched).
  public func greedyComplete(_ prompt: String, maxTokens: Int, tokenizer: Tokenizer = .standard)
    -> String
  {
    tokenizer.decode(greedyDecode(greedyPromptIDs(prompt, tokenizer: tokenizer), maxTokens: maxTokens))
  }

  /// BOS + `prompt`, cut from the front to leave room for one generated token.
  func greedyPromptIDs(_ prompt: String, tokenizer: Tokenizer) -> [Int32] {
    let ctx = config.context
    let ids = [Tokenizer.bos] + tokenizer.encode(prompt)
    return ids.count > ctx - 1 ? [Tokenizer.bos] + ids.suffix(ctx - 2) : ids
  }

  /// The ids generated after `prompt`; `observe` sees each logits row used.
  func greedyDecode(
    _ prompt: [Int32], maxTokens: Int, observe: ((UnsafeBufferPointer<Float>) -> Void)? = nil
  ) -> [Int32] {
    let ctx = config.context
    var ids = prompt
    var generated: [Int32] = []
    var from = 0
    while generated.count < maxTokens, ids.count <= ctx {
      forward(tokens: ids, targets: nil, b: 1, t: ids.count, from: from)
      let row = logits(row: ids.count - 1)
      observe?(row)
      var best = 0
      for j in 1..<row.count where row[j] > row[best] { best = j }
      let next = Int32(best)
      if next == Tokenizer.eos { break }
      generated.append(next)
      from = ids.count
      ids.append(next)
      if ids.count > ctx { break }
    }
    return generated
  }
}

extension TinyTransformer {
  /// Continues `prompt` by greedy decoding (argmax each step) until EOS,
  /// `maxTokens` new tokens or the context is full; returns the new text.
  ///
  /// Incremental: the prompt runs once, then each new token computes only
  /// its own row, reading earlier keys and values from the arena.
  public func greedyComplete(_ prompt: String, maxTokens: Int, tokenizer: Tokenizer = .standard)
    -> String
  {
    let ctx = config.context
    var ids = [Tokenizer.bos] + tokenizer.encode(prompt)
    // Keep room for at least one generated token.
    if ids.count > ctx - 1 { ids = [Tokenizer.bos] + ids.suffix(ctx - 2) }
    var generated: [Int32] = []
    var from = 0
    while generated.count < maxTokens, ids.count <= ctx {
      forward(tokens: ids, targets: nil, b: 1, t: ids.count, from: from)
      let row = logits(row: ids.count - 1)
      var best = 0
      for j in 1..<row.count where row[j] > row[best] { best = j }
      let next = Int32(best)
      if next == Tokenizer.eos { break }
      generated.append(next)
      from = ids.count
      ids.append(next)
      if ids.count > ctx { break }
    }
    return tokenizer.decode(generated)
  }
}

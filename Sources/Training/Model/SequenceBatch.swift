/// A prompt and the completion the model is scored on.
public struct PromptCompletion: Sendable, Equatable, Hashable, Codable {
  /// Conditioning text (never a training target).
  public var prompt: String
  /// Scored text.
  public var completion: String

  /// Creates a pair.
  public init(prompt: String, completion: String) {
    self.prompt = prompt
    self.completion = completion
  }
}

/// A batch of (prompt, completion) sequences as model inputs: `[BOS] prompt
/// completion [EOS]`, shifted into inputs and next-token targets, right-padded
/// to the longest sequence, with every target outside the completion masked
/// (−1) so only completion tokens (and the closing EOS) are scored.
///
/// Sequences longer than the context keep their completion: the prompt loses
/// characters from its start first; if the completion alone does not fit, its
/// end is cut (and the EOS with it) and the sequence is marked truncated.
public struct SequenceBatch: Sendable, Equatable {
  /// Input ids (B, T); `Tokenizer.pad` after a sequence's end.
  public var tokens: [Int32]
  /// Target ids (B, T); −1 where not scored (prompt, padding).
  public var targets: [Int32]
  /// Sequences.
  public let b: Int
  /// Positions (the longest sequence, at most the context).
  public let t: Int
  /// Real (non-padding) positions per sequence: the model runs these only.
  public var lengths: [Int]
  /// Scored tokens per sequence.
  public var scoredTokens: [Int]
  /// Whether each sequence was cut to fit the context.
  public var truncated: [Bool]

  /// Tokenizes `items` for a model whose context is `context` positions.
  public init(_ items: [PromptCompletion], context: Int, tokenizer: Tokenizer = .standard) {
    precondition(!items.isEmpty && context >= 2, "empty batch or context")
    var seqs: [[Int32]] = []
    var starts: [Int] = []
    var cut: [Bool] = []
    for item in items {
      var prompt = tokenizer.encode(item.prompt)
      var completion = tokenizer.encode(item.completion) + [Tokenizer.eos]
      var wasCut = false
      // A sequence of n tokens yields n − 1 (input, target) positions.
      let room = context + 1
      if 1 + prompt.count + completion.count > room {
        wasCut = true
        let keepPrompt = max(0, room - 1 - completion.count)
        prompt = Array(prompt.suffix(keepPrompt))
        if 1 + prompt.count + completion.count > room {
          completion = Array(completion.prefix(room - 1))
        }
      }
      seqs.append([Tokenizer.bos] + prompt + completion)
      starts.append(1 + prompt.count)
      cut.append(wasCut)
    }
    let t = seqs.map { $0.count - 1 }.max() ?? 1
    b = items.count
    self.t = t
    tokens = [Int32](repeating: Tokenizer.pad, count: b * t)
    targets = [Int32](repeating: -1, count: b * t)
    scoredTokens = []
    lengths = seqs.map { $0.count - 1 }
    truncated = cut
    for (i, seq) in seqs.enumerated() {
      for p in 0..<(seq.count - 1) {
        tokens[i * t + p] = seq[p]
        // Target p is token p + 1: scored when it belongs to the completion.
        if p + 1 >= starts[i] { targets[i * t + p] = seq[p + 1] }
      }
      scoredTokens.append(seq.count - starts[i])
    }
  }
}

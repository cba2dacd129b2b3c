// Public data API used by the trainer (kept stable once committed):
//
//   TextExample(prompt:completion:answer:)          one SFT row
//   PreferencePair(prompt:chosen:rejected:answer:)  one preference row
//   MathProblem, MathGenerator(seed:)               the built-in maths problems
//   MathData.alphabet / .maxCharacters / .finalAnswer(in:) / .isCorrect / .taskAccuracy
//   BuiltinDataset (math, math-low-edit, math-high-edit)
//   SFTDataset / PreferenceDataset (name, train, heldOut, size, meanEditDistance)
//   DatasetSource.sft(_:)/.preferences(_:)          `--data NAME|FILE` resolution
//   SFTJSONL.load / PreferenceJSONL.load            JSONL loaders (DataError on bad rows)
//   EditDistance.levenshtein / .normalized

/// One supervised example: the model is trained on `completion` given `prompt`.
public struct TextExample: Sendable, Equatable, Hashable {
  /// The text the model conditions on (its tokens are masked out of the loss).
  public var prompt: String
  /// The text the model learns to produce.
  public var completion: String
  /// The expected final answer (text after `####`), or nil when unknown (e.g. JSONL rows without one).
  public var answer: String?

  /// Creates an example.
  public init(prompt: String, completion: String, answer: String? = nil) {
    self.prompt = prompt
    self.completion = completion
    self.answer = answer
  }
}

/// One preference pair: `chosen` is preferred over `rejected` for `prompt`.
public struct PreferencePair: Sendable, Equatable, Hashable {
  /// The shared prompt.
  public var prompt: String
  /// The preferred completion (yw).
  public var chosen: String
  /// The dispreferred completion (yl).
  public var rejected: String
  /// The correct final answer, or nil when unknown.
  public var answer: String?

  /// Creates a pair.
  public init(prompt: String, chosen: String, rejected: String, answer: String? = nil) {
    self.prompt = prompt
    self.chosen = chosen
    self.rejected = rejected
    self.answer = answer
  }

  /// The chosen side as a supervised example (for held-out task accuracy and SFT).
  public var chosenExample: TextExample {
    TextExample(prompt: prompt, completion: chosen, answer: answer)
  }

  /// Character-level normalised edit distance between chosen and rejected.
  public var normalizedEditDistance: Double {
    EditDistance.normalized(chosen, rejected)
  }
}

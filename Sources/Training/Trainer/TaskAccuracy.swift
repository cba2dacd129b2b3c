/// Held-out task accuracy: greedy-decode each problem's solution and check
/// its final answer (`#### N`) against the reference answer.
enum TaskAccuracy {
  /// Longest completion decoded (the maths solutions are under 64 characters).
  static let maxTokens = 72

  /// The fraction of `examples` whose decoded final answer is correct; nil
  /// when none of them has a known answer.
  static func measure(_ examples: [TextExample], model: TinyTransformer) -> Double? {
    score(examples, decodes: decode(examples, model: model))
  }

  /// The policy's greedy completion of each example's prompt (y*): the
  /// text of `greedyComplete`, decoded many prompts a step (temperature 0
  /// draws nothing from the generator).
  static func decode(_ examples: [TextExample], model: TinyTransformer) -> [String] {
    model.sampleCompletions(
      examples.map(\.prompt), samples: 1, maxTokens: maxTokens, temperature: 0
    ) { _, _ in ModelRNG(seed: 0) }.map { $0.first?.text ?? "" }
  }

  /// The accuracy of `decodes` (one per example), as `measure`.
  static func score(_ examples: [TextExample], decodes: [String]) -> Double? {
    var correct = 0
    var scored = 0
    for (example, text) in zip(examples, decodes) {
      guard let answer = example.answer ?? MathData.finalAnswer(in: example.completion) else {
        continue
      }
      scored += 1
      if MathData.isCorrect(completion: text, answer: answer) { correct += 1 }
    }
    return scored == 0 ? nil : Double(correct) / Double(scored)
  }
}

extension PromptCompletion {
  /// The pair of a supervised example.
  init(_ example: TextExample) {
    self.init(prompt: example.prompt, completion: example.completion)
  }
}

import RunLog

/// Builds preference pairs from maths problems in the paper's two manners.
public enum MathPreferences {
  /// Low edit distance (the paper's MetaMath pairs): chosen is the correct
  /// solution; rejected is the same solution with ONE intermediate result
  /// (a step before the last) changed by ±1…3, every other character, the
  /// final `#### answer` line included, left untouched.
  public static func lowEdit(_ problem: MathProblem, rng: inout SplitMix64) -> PreferencePair {
    let results = problem.results
    guard !results.isEmpty else {
      // A hand-built problem without steps has no intermediate result: corrupt the answer.
      let wrong = problem.answer == 0 ? 1 : problem.answer - 1
      return PreferencePair(
        prompt: problem.prompt, chosen: problem.completion,
        rejected: problem.completion(shownResults: [], answer: wrong),
        answer: String(problem.answer))
    }
    var shown = results
    // Steps before the last are the intermediate ones; a 1-step problem (never
    // generated, but possible by hand) falls back to its only step.
    let index = rng.int(in: 0...max(0, results.count - 2))
    var wrong = results[index]
    while wrong == results[index] || wrong < 0 || wrong > MathData.maxValue {
      let delta = rng.int(in: 1...3)
      wrong = results[index] + (rng.int(in: 0...1) == 0 ? -delta : delta)
    }
    shown[index] = wrong
    return PreferencePair(
      prompt: problem.prompt, chosen: problem.completion,
      rejected: problem.completion(shownResults: shown, answer: problem.answer),
      answer: String(problem.answer))
  }

  /// High edit distance: rejected is the solution of a different problem with
  /// the same start (different steps) and a different, hence wrong, answer.
  public static func highEdit(_ problem: MathProblem, rng: inout SplitMix64) -> PreferencePair {
    var generator = MathGenerator(seed: rng.next())
    var other = problem
    // Also redrawn when prompt + rejected would exceed MathData.maxCharacters.
    while other.answer == problem.answer
      || problem.prompt.count + other.completion.count > MathData.maxCharacters
    {
      var draw = generator.draw()
      draw.start = problem.start
      // Redraw the steps from the shared start so every total stays in range.
      var value = draw.start
      draw.steps = draw.steps.map { _ in
        let step = generator.drawStep(from: value)
        value = step.apply(to: value)
        return step
      }
      other = draw
    }
    return PreferencePair(
      prompt: problem.prompt, chosen: problem.completion, rejected: other.completion,
      answer: String(problem.answer))
  }
}

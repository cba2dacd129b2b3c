import RunLog

/// Does DPO sharpen toward the right answer? At each evaluation, N samples
/// of each prompt task accuracy decodes (temperature 1), the most likely of
/// them (best-of-N by the policy's own likelihood) and whether it, any of
/// them and each of them is correct; and the greedy decode's log-prob split
/// by whether the greedy decode is correct.
enum BestOfN {
  /// The generator of sample `sample` of held-out prompt `prompt` at the
  /// evaluation of step `step`: a function of the run's seed and these three
  /// only, so the same run and step draw the same samples whatever the
  /// thread count or batching. Salted so it shares no stream with the
  /// training batches (which use the seed and the step).
  static func rng(seed: UInt64, step: Int, prompt: Int, sample: Int) -> ModelRNG {
    var perStep = ModelRNG(seed: seed ^ 0x6A09_E667_F3BC_C908, stream: UInt64(step))
    var perPrompt = ModelRNG(seed: perStep.next(), stream: UInt64(prompt))
    return ModelRNG(seed: perPrompt.next(), stream: UInt64(sample))
  }

  /// The index of the most likely completion (the first of equals).
  static func best(_ samples: [SampledCompletion]) -> Int? {
    guard var top = samples.indices.first else { return nil }
    for i in samples.indices where samples[i].logProb > samples[top].logProb { top = i }
    return top
  }

  /// Whether `text` answers `example` correctly; nil when its answer is unknown.
  static func isCorrect(_ text: String, _ example: TextExample) -> Bool? {
    guard let answer = example.answer ?? MathData.finalAnswer(in: example.completion) else {
      return nil
    }
    return MathData.isCorrect(completion: text, answer: answer)
  }

  /// greedy/correct_logps, greedy/wrong_logps and their reference
  /// counterparts: the greedy decodes' log-probs split by correctness. A
  /// side with no prompt is left out (no value, rather than a NaN the
  /// charts and summaries would have to skip).
  static func greedySplit(
    _ examples: [TextExample], decodes: [String], policy: [Double], ref: [Double]
  ) -> [(String, Double)] {
    var sums = [0.0, 0.0, 0.0, 0.0]  // policy right, policy wrong, ref right, ref wrong
    var counts = [0, 0]
    for i in examples.indices {
      guard let right = isCorrect(decodes[i], examples[i]) else { continue }
      let side = right ? 0 : 1
      sums[side] += policy[i]
      sums[side + 2] += ref[i]
      counts[side] += 1
    }
    var out: [(String, Double)] = []
    if counts[0] > 0 {
      out.append((MetricKey.greedyCorrectLogps, sums[0] / Double(counts[0])))
      out.append((MetricKey.greedyRefCorrectLogps, sums[2] / Double(counts[0])))
    }
    if counts[1] > 0 {
      out.append((MetricKey.greedyWrongLogps, sums[1] / Double(counts[1])))
      out.append((MetricKey.greedyRefWrongLogps, sums[3] / Double(counts[1])))
    }
    return out
  }

  /// The best-of-N metrics of `samples` (one list per example, N each) and
  /// `bestRef`, log πref of each example's most likely sample. Log-probs are
  /// means over every example; the accuracies over those with a known
  /// answer (as task_accuracy), and are left out when there is none.
  static func metrics(
    _ examples: [TextExample], samples: [[SampledCompletion]], bestRef: [Double]
  ) -> [(String, Double)] {
    let picks = samples.map { best($0) }
    var policy = 0.0
    var ref = 0.0
    var counted = 0
    var scored = 0
    var bestRight = 0
    var anyRight = 0
    var drawn = 0
    var right = 0
    for i in examples.indices {
      guard let b = picks[i] else { continue }
      policy += samples[i][b].logProb
      ref += bestRef[i]
      counted += 1
      let marks = samples[i].map { isCorrect($0.text, examples[i]) }
      guard marks.allSatisfy({ $0 != nil }) else { continue }
      scored += 1
      if marks[b] == true { bestRight += 1 }
      if marks.contains(true) { anyRight += 1 }
      drawn += marks.count
      right += marks.filter { $0 == true }.count
    }
    guard counted > 0 else { return [] }
    var out = [
      (MetricKey.bonLogps, policy / Double(counted)),
      (MetricKey.bonRefLogps, ref / Double(counted)),
    ]
    if scored > 0 {
      out.append((MetricKey.bonAccuracy, Double(bestRight) / Double(scored)))
      out.append((MetricKey.bonAnyCorrect, Double(anyRight) / Double(scored)))
      out.append((MetricKey.sampleAccuracy, Double(right) / Double(drawn)))
    }
    return out
  }
}

extension PreferenceStepper {
  /// The greedy split over `examples` and, with `bestOf` > 0, best-of-N over
  /// the first `bestOfPrompts` of them at the evaluation of `step`
  /// (`decodes`: their greedy decodes, scored `policy` and `ref`).
  func sharpening(
    step: Int, model: TinyTransformer, examples: [TextExample], decodes: [String],
    policy: [Double], ref: [Double]
  ) -> [(String, Double)] {
    var out = BestOfN.greedySplit(examples, decodes: decodes, policy: policy, ref: ref)
    let examples = Array(examples.prefix(bestOfPrompts))
    guard bestOf > 0, !examples.isEmpty else { return out }
    let seed = self.seed
    let samples = model.sampleCompletions(
      examples.map(\.prompt), samples: bestOf, maxTokens: TaskAccuracy.maxTokens, temperature: 1
    ) { prompt, sample in
      BestOfN.rng(seed: seed, step: step, prompt: prompt, sample: sample)
    }
    // Only the chosen sample of each prompt is scored by the reference.
    let chosen = zip(examples, samples).map { example, drawn in
      PromptCompletion(
        prompt: example.prompt, completion: BestOfN.best(drawn).map { drawn[$0].text } ?? "")
    }
    let bestRef = referenceTokens.sequenceLogProbs(chosen)
    out += BestOfN.metrics(examples, samples: samples, bestRef: bestRef)
    return out
  }
}

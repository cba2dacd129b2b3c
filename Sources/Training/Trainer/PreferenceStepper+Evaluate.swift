import RunLog

/// The held-out evaluation of the preference objectives: the objective's
/// metrics over the first `evalPairs` held-out pairs, where their chosen
/// log-prob lies (the shared prefix before the first differing token), the
/// probes' per-token log-probs, task accuracy, and the log-prob of the
/// policy's own greedy decodes under policy and reference (squeezing), and
/// best-of-N sampling (sharpening, BestOfN.swift).
extension PreferenceStepper {
  mutating func evaluate(step: Int, model: TinyTransformer) -> [(String, Double)] {
    let count = min(evalPairs, data.heldOut.count)
    let probeCount = min(probes, data.heldOut.count)
    var out: [(String, Double)] = []
    var probeRecords: [ProbeRecord] = []
    if count > 0 {
      var sums: [String: Double] = [:]
      var order: [String] = []
      var prefix = 0.0
      var refPrefix = 0.0
      forEachChunk(0..<count, model: model) { picks, loss, tokens in
        for (key, value) in loss.metrics {
          if sums[key] == nil { order.append(key) }
          sums[key, default: 0] += value * Double(picks.count)
        }
        for t in tokens {
          prefix += t.chosen[..<t.firstDiff].reduce(0, +)
          refPrefix += t.refChosen[..<t.firstDiff].reduce(0, +)
        }
        probeRecords += probesOf(picks, tokens, below: probeCount)
      }
      out = order.map { ($0, (sums[$0] ?? 0) / Double(count)) }
      out.append((MetricKey.logpsChosenPrefix, prefix / Double(count)))
      out.append((MetricKey.logpsRefChosenPrefix, refPrefix / Double(count)))
    }
    if probeCount > count {
      forEachChunk(count..<probeCount, model: model) { picks, _, tokens in
        probeRecords += probesOf(picks, tokens, below: probeCount)
      }
    }
    pendingProbes = probeRecords
    let examples = Array(data.heldOut.prefix(evalSamples).map(\.chosenExample))
    guard !examples.isEmpty else { return out }
    let decodes = TaskAccuracy.decode(examples, model: model)
    if let acc = TaskAccuracy.score(examples, decodes: decodes) {
      out.append((MetricKey.taskAccuracy, acc))
    }
    // y* = the greedy decode, scored with its end token like every completion.
    let greedy = zip(examples, decodes).map { PromptCompletion(prompt: $0.prompt, completion: $1) }
    let policy = model.sequenceLogProbsChunked(greedy)
    let ref = referenceTokens.sequenceLogProbs(greedy)
    out.append((MetricKey.logpsGreedy, policy.reduce(0, +) / Double(policy.count)))
    out.append((MetricKey.logpsRefGreedy, ref.reduce(0, +) / Double(ref.count)))
    out += sharpening(
      step: step, model: model, examples: examples, decodes: decodes, policy: policy, ref: ref)
    return out
  }

  mutating func takeProbes() -> [ProbeRecord] {
    defer { pendingProbes = [] }
    return pendingProbes
  }

  /// Per-token log-probs of one held-out pair at this evaluation.
  struct PairTokens {
    var index: Int
    var chosen: [Double]
    var rejected: [Double]
    var refChosen: [Double]
    var refRejected: [Double]
    var firstDiff: Int
  }

  /// Scores held-out pairs `range` a batch at a time: the objective on their
  /// summed log-probs, and their per-token log-probs from the same forward.
  private func forEachChunk(
    _ range: Range<Int>, model: TinyTransformer,
    _ body: ([Int], BatchLoss, [PairTokens]) -> Void
  ) {
    let per = max(1, model.maxBatch / 2)
    var start = range.lowerBound
    while start < range.upperBound {
      let picks = Array(start..<min(range.upperBound, start + per))
      let refs = reference.logProbs(data.heldOut, picks, key: Self.heldOutKey)
      let (loss, seqs) = score(data.heldOut, picks, refs: refs, model: model)
      let rows = model.scoredTokenLogProbs(seqs)
      let refRows = referenceTokens.logProbs(data.heldOut, picks)
      let n = picks.count
      let tokens = picks.indices.map { j in
        PairTokens(
          index: picks[j], chosen: rows[j], rejected: rows[n + j], refChosen: refRows[j].chosen,
          refRejected: refRows[j].rejected,
          firstDiff: ProbeRecord.firstDifference(seqs.scoredTargets(j), seqs.scoredTargets(n + j)))
      }
      body(picks, loss, tokens)
      start += per
    }
  }

  /// The probes (held-out pairs below `limit`) among `tokens`; step 0 until
  /// the loop stamps the evaluation's step.
  private func probesOf(_ picks: [Int], _ tokens: [PairTokens], below limit: Int) -> [ProbeRecord] {
    tokens.filter { $0.index < limit }.map { t in
      let pair = data.heldOut[t.index]
      return ProbeRecord(
        step: 0, pair: t.index, prompt: pair.prompt,
        chosenTokens: scoredTokenTexts(pair.chosen, count: t.chosen.count),
        rejectedTokens: scoredTokenTexts(pair.rejected, count: t.rejected.count),
        chosenLogps: t.chosen, rejectedLogps: t.rejected, chosenRefLogps: t.refChosen,
        rejectedRefLogps: t.refRejected, firstDiff: t.firstDiff)
    }
  }
}

import Foundation
import RunLog
import Testing

@testable import Training

/// Per-token log-probs, `first_diff`, probes.jsonl and the held-out prefix
/// and greedy metrics of the preference evaluation.
@Suite struct ProbeTests {
  let shape = ModelConfig(
    vocab: Tokenizer.standard.vocabSize, context: 48, dim: 8, layers: 1, heads: 2)

  @Test func perTokenLogProbsSumToTheSequenceLogProb() throws {
    let model = TinyTransformer(config: shape, maxBatch: 8)
    model.initialiseWeights(seed: 5)
    let pairs = try BuiltinDataset.mathLowEdit.pairs(count: 3, seed: 2)
    let items = pairs.flatMap {
      [
        PromptCompletion(prompt: $0.prompt, completion: $0.chosen),
        PromptCompletion(prompt: $0.prompt, completion: $0.rejected),
      ]
    }
    let batch = SequenceBatch(items, context: shape.context)
    let sums = model.sequenceLogProbs(batch)
    let rows = model.tokenLogProbs(batch)
    for i in 0..<items.count {
      #expect(rows[i].count == batch.scoredTokens[i])
      #expect(abs(rows[i].reduce(0, +) - sums[i]) < 1e-4, "sequence \(i)")
      // A random model gives every token a real (negative) log-prob.
      #expect(rows[i].allSatisfy { $0 < 0 })
    }
    // The token texts line up with the scored targets (the context cut some).
    for (i, item) in items.enumerated() {
      let texts = scoredTokenTexts(item.completion, count: batch.scoredTokens[i])
      #expect(texts.count == batch.scoredTokens[i])
      #expect(batch.truncated[i] || texts.last == ProbeRecord.endToken)
    }
  }

  @Test func firstDiffOnHandMadePairs() {
    typealias P = ProbeRecord
    #expect(P.firstDifference(Array("abc"), Array("abc")) == 3)  // identical
    #expect(P.firstDifference(Array("xbc"), Array("abc")) == 0)  // at token 0
    #expect(P.firstDifference(Array("abx"), Array("abc")) == 2)  // at the last token
    #expect(P.firstDifference(Array("ab"), Array("abcd")) == 2)  // a prefix of the other
    #expect(P.firstDifference(Array("abcd"), Array("ab")) == 2)
    #expect(P.firstDifference([Character](), Array("a")) == 0)
    // As the trainer computes it: on the scored ids, end token included.
    let batch = SequenceBatch(
      [
        PromptCompletion(prompt: "q", completion: "12"),
        PromptCompletion(prompt: "q", completion: "123"),
      ], context: 16)
    #expect(P.firstDifference(batch.scoredTargets(0), batch.scoredTargets(1)) == 2)
  }

  /// A tiny SFT-shaped reference checkpoint next to `dir`.
  func reference(in dir: String) throws -> String {
    let model = TinyTransformer(config: shape, maxBatch: 1)
    model.initialiseWeights(seed: 3)
    let path = dir + "-ref.ckpt"
    try Checkpoint(model: shape, step: 0, objective: "sft", parameters: model.parameters)
      .write(to: path)
    return path
  }

  func config(ref: String, probes: Int, evalPairs: Int) -> TrainingConfig {
    var c = TrainerFixtures.sftConfig(steps: 3)
    c.objective = .dpo
    c.data = "math-low-edit"
    c.reference = ref
    c.batch = 2
    c.heldOutCount = 8
    c.evalEvery = 3
    c.evalSamples = 3
    c.probes = probes
    c.evalLossRows = evalPairs
    c.cosineDecay = false
    return c
  }

  @Test func probeMeansEqualTheEvalMetricsWhenProbesAreTheEvalPairs() throws {
    let run = TrainerFixtures.tempRun()
    let ref = try reference(in: run.path)
    defer {
      try? FileManager.default.removeItem(atPath: run.path)
      try? FileManager.default.removeItem(atPath: ref)
    }
    let k = 5
    try Trainer(config: config(ref: ref, probes: k, evalPairs: k), directory: run, log: { _ in })
      .run()
    let reader = ProbesReader(run: run)
    try reader.poll()
    let log = reader.log
    #expect(log.badCount == 0)
    #expect(log.steps == [0, 3])
    #expect(log.pairs == Array(0..<k))
    let evals = TrainerFixtures.records(run).filter { $0.split == "eval" }
    #expect(evals.count == 2)
    for e in evals {
      let probes = log.records.filter { $0.step == e.step }
      #expect(probes.count == k)
      // The file rounds each log-prob to 4 places: allow that per token.
      let tokens = Double(probes.map(\.chosenLogps.count).reduce(0, +))
      let tolerance = 1e-4 + tokens * 5e-5 / Double(k)
      let chosen = probes.map { $0.chosenLogps.reduce(0, +) }.reduce(0, +) / Double(k)
      let prefix =
        probes.map { $0.chosenLogps.prefix($0.firstDiff).reduce(0, +) }.reduce(0, +) / Double(k)
      let refPrefix =
        probes.map { $0.chosenRefLogps.prefix($0.firstDiff).reduce(0, +) }.reduce(0, +) / Double(k)
      let logps = try #require(e.values[MetricKey.logpsChosen])
      #expect(abs(chosen - logps) < tolerance, "step \(e.step): \(chosen) vs \(logps)")
      let p = try #require(e.values[MetricKey.logpsChosenPrefix])
      #expect(abs(prefix - p) < tolerance, "step \(e.step): \(prefix) vs \(p)")
      let rp = try #require(e.values[MetricKey.logpsRefChosenPrefix])
      #expect(abs(refPrefix - rp) < tolerance)
      // Low-edit pairs share a prefix; it holds part, not all, of the log-prob.
      #expect(p < 0 && p > logps)
      #expect(probes.allSatisfy { $0.firstDiff > 0 })
      #expect(e.values[MetricKey.logpsGreedy] != nil && e.values[MetricKey.logpsRefGreedy] != nil)
    }
    // At step 0 the policy is the reference, token for token.
    for p in log.records where p.step == 0 {
      #expect(p.chosenLogps == p.chosenRefLogps && p.rejectedLogps == p.rejectedRefLogps)
    }
    let e0 = try #require(evals.first)
    #expect(e0.values[MetricKey.logpsGreedy] == e0.values[MetricKey.logpsRefGreedy])
    // The reference stays put; the policy moves.
    let late = log.records.filter { $0.step == 3 }
    let early = log.records.filter { $0.step == 0 }
    #expect(zip(early, late).allSatisfy { $0.chosenRefLogps == $1.chosenRefLogps })
    #expect(zip(early, late).contains { $0.chosenLogps != $1.chosenLogps })
    // Each probe's tokens spell its completions (and the end token).
    for p in late {
      #expect(p.chosenTokens.last == ProbeRecord.endToken)
      #expect(p.chosenTokens.count == p.chosenLogps.count)
    }
  }

  @Test func probesBeyondTheEvalPairsAndProbesOff() throws {
    let run = TrainerFixtures.tempRun("more")
    let off = TrainerFixtures.tempRun("off")
    let ref = try reference(in: run.path)
    defer {
      for p in [run.path, off.path, ref] { try? FileManager.default.removeItem(atPath: p) }
    }
    try Trainer(config: config(ref: ref, probes: 4, evalPairs: 2), directory: run, log: { _ in })
      .run()
    let reader = ProbesReader(run: run)
    try reader.poll()
    #expect(reader.log.pairs == [0, 1, 2, 3])
    try Trainer(config: config(ref: ref, probes: 0, evalPairs: 2), directory: off, log: { _ in })
      .run()
    #expect(!FileManager.default.fileExists(atPath: off.probesPath))
    let evals = TrainerFixtures.records(off).filter { $0.split == "eval" }
    #expect(evals.allSatisfy { $0.values[MetricKey.logpsChosenPrefix] != nil })
  }

  @Test func resumedRunKeepsOneProbeLinePerEvaluation() throws {
    let whole = TrainerFixtures.tempRun("pw")
    let parts = TrainerFixtures.tempRun("pp")
    let ref = try reference(in: whole.path)
    defer {
      for p in [whole.path, parts.path, ref] { try? FileManager.default.removeItem(atPath: p) }
    }
    var c = config(ref: ref, probes: 2, evalPairs: 2)
    c.steps = 6
    c.checkpointEvery = 2
    try Trainer(config: c, directory: whole, log: { _ in }).run()
    let stop = StopFlag()
    try Trainer(
      config: c, directory: parts, stop: stop,
      log: { if $0.hasPrefix("eval step 3") { stop.raise() } }
    ).run()
    try Trainer(config: c, directory: parts, resume: true, log: { _ in }).run()
    let a = ProbesReader(run: whole)
    let b = ProbesReader(run: parts)
    try a.poll()
    try b.poll()
    #expect(b.log.records.map(\.step) == a.log.records.map(\.step))
    #expect(b.log.records == a.log.records)
  }
}

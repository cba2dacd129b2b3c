import Foundation
import RunLog
import Testing

@testable import Training

@Suite struct PreferenceTrainerTests {
  /// A tiny SFT-shaped reference checkpoint written to `dir`.
  func reference(in dir: String) throws -> String {
    let shape = TrainerFixtures.sftConfig().model
    let model = TinyTransformer(config: shape, maxBatch: 1)
    model.initialiseWeights(seed: 3)
    let path = dir + "-ref.ckpt"
    try Checkpoint(model: shape, step: 0, objective: "sft", parameters: model.parameters)
      .write(to: path)
    return path
  }

  func config(_ objective: Objective, ref: String, steps: Int = 4) -> TrainingConfig {
    var c = TrainerFixtures.sftConfig(steps: steps)
    c.objective = objective
    c.data = "math-low-edit"
    c.reference = ref
    c.beta = 0.1
    c.batch = 2
    c.learningRate = 1e-2
    c.cosineDecay = false
    return c
  }

  @Test(arguments: [Objective.dpo, .dpop, .ipo, .slic])
  func logsEveryPreferenceMetricAndStartsAtTheReference(objective: Objective) throws {
    let run = TrainerFixtures.tempRun("pref\(objective.rawValue)")
    let ref = try reference(in: run.path)
    defer {
      try? FileManager.default.removeItem(atPath: run.path)
      try? FileManager.default.removeItem(atPath: ref)
    }
    #expect(
      try Trainer(config: config(objective, ref: ref), directory: run, log: { _ in }).run()
        == .finished)
    let manifest = try run.readManifest()
    #expect(manifest.objective == objective.rawValue)
    #expect(manifest.beta == 0.1)
    #expect(manifest.reference == ref)
    let distance = try #require(manifest.dataset?.meanEditDistance)
    #expect(distance > 0 && distance < 0.2)
    let records = TrainerFixtures.records(run)
    let keys = [
      MetricKey.loss, MetricKey.rewardsChosen, MetricKey.rewardsRejected, MetricKey.rewardsMargins,
      MetricKey.rewardsAccuracies, MetricKey.logpsChosen, MetricKey.logpsRejected,
      MetricKey.logpsRefChosen, MetricKey.logpsRefRejected, MetricKey.dpopPenalty,
    ]
    for r in records {
      for key in keys { #expect(r.values[key] != nil, "\(r.split) \(r.step) lacks \(key)") }
    }
    for r in records where r.split == "train" {
      #expect(r.values[MetricKey.gradNorm] != nil && r.values[MetricKey.tokensPerSecond] != nil)
    }
    // Before any update the policy is the reference: zero rewards, equal log-probs.
    let first = try #require(records.first { $0.split == "train" && $0.step == 1 })
    #expect(first.values[MetricKey.rewardsChosen] == 0)
    #expect(first.values[MetricKey.logpsChosen] == first.values[MetricKey.logpsRefChosen])
    let eval0 = try #require(records.first { $0.split == "eval" && $0.step == 0 })
    #expect(eval0.values[MetricKey.rewardsMargins] == 0)
    #expect(eval0.values[MetricKey.taskAccuracy] != nil)
    // Training moves the policy away from the reference.
    let last = try #require(records.last { $0.split == "train" })
    #expect(last.values[MetricKey.rewardsChosen] != 0)
  }

  @Test func logsBestOfNAtEveryEvaluationUnlessTurnedOff() throws {
    let run = TrainerFixtures.tempRun("bon")
    let off = TrainerFixtures.tempRun("bonoff")
    let ref = try reference(in: run.path)
    defer {
      for p in [run.path, off.path, ref] { try? FileManager.default.removeItem(atPath: p) }
    }
    var c = config(.dpo, ref: ref, steps: 3)
    c.bestOf = 3
    try Trainer(config: c, directory: run, log: { _ in }).run()
    let keys = [
      MetricKey.bonLogps, MetricKey.bonRefLogps, MetricKey.bonAccuracy, MetricKey.bonAnyCorrect,
      MetricKey.sampleAccuracy,
    ]
    let evals = TrainerFixtures.records(run).filter { $0.split == "eval" }
    #expect(evals.map(\.step) == [0, 3])
    for r in evals {
      for key in keys { #expect(r.values[key] != nil, "eval \(r.step) lacks \(key)") }
      let any = r.values[MetricKey.bonAnyCorrect] ?? 0
      #expect(any >= r.values[MetricKey.bonAccuracy] ?? 1)
      // At least one side of the greedy split is logged (two prompts decoded).
      #expect(
        r.values[MetricKey.greedyCorrectLogps] != nil || r.values[MetricKey.greedyWrongLogps] != nil
      )
    }
    // Before any update the policy is the reference: the best sample scores the same under both.
    let first = try #require(evals.first)
    let policy = try #require(first.values[MetricKey.bonLogps])
    #expect(abs(policy - (first.values[MetricKey.bonRefLogps] ?? 0)) < 1e-4)
    c.bestOf = 0
    try Trainer(config: c, directory: off, log: { _ in }).run()
    for r in TrainerFixtures.records(off) {
      for key in keys { #expect(r.values[key] == nil) }
    }
  }

  @Test func dpoRaisesTheMarginOnTrainingPairs() throws {
    let run = TrainerFixtures.tempRun()
    let ref = try reference(in: run.path)
    defer {
      try? FileManager.default.removeItem(atPath: run.path)
      try? FileManager.default.removeItem(atPath: ref)
    }
    var c = config(.dpo, ref: ref, steps: 12)
    c.trainCount = 4  // few pairs, seen repeatedly
    c.batch = 4
    try Trainer(config: c, directory: run, log: { _ in }).run()
    let train = TrainerFixtures.records(run).filter { $0.split == "train" }
    let m1 = train.first?.values[MetricKey.rewardsMargins] ?? 0
    let m12 = train.last?.values[MetricKey.rewardsMargins] ?? 0
    #expect(m12 > m1 + 0.05, "margin \(m1) → \(m12)")
    #expect((train.last?.values[MetricKey.loss] ?? 1) < log(2.0))
  }

  @Test func resumedPreferenceRunReproducesTheUninterruptedRun() throws {
    let whole = TrainerFixtures.tempRun("pwhole")
    let parts = TrainerFixtures.tempRun("pparts")
    let ref = try reference(in: whole.path)
    defer {
      for p in [whole.path, parts.path, ref] { try? FileManager.default.removeItem(atPath: p) }
    }
    let c = config(.dpop, ref: ref, steps: 6)
    try Trainer(config: c, directory: whole, log: { _ in }).run()
    let stop = StopFlag()
    try Trainer(
      config: c, directory: parts, stop: stop,
      log: { if $0.hasPrefix("eval step 3") { stop.raise() } }
    ).run()
    try Trainer(config: c, directory: parts, resume: true, log: { _ in }).run()
    #expect(TrainerFixtures.trainLosses(parts) == TrainerFixtures.trainLosses(whole))
  }

  @Test func refusesBadPreferenceSettings() throws {
    let run = TrainerFixtures.tempRun()
    let ref = try reference(in: run.path)
    defer { try? FileManager.default.removeItem(atPath: ref) }
    var c = config(.dpo, ref: ref)
    c.data = "math"
    #expect(throws: TrainingError.self) { try Trainer(config: c, directory: run, log: { _ in }) }
    c = config(.dpo, ref: run.path + "-missing.ckpt")
    #expect(throws: TrainingError.self) { try Trainer(config: c, directory: run, log: { _ in }) }
    #expect(!FileManager.default.fileExists(atPath: run.path))
  }
}

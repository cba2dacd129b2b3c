import Foundation
import Testing

@testable import RunLog

/// Output of the real `trl dpo` CLI (TRL 1.16.0, transformers 5.24.0,
/// TensorBoard 2.21.0), written by `scripts/e2e-trl.sh` into dpotop sweep run
/// directories: 40 steps, logging every step, an eval and a checkpoint every
/// 10 steps (Fixtures/trl-real/README.md). The expected values were read from
/// the same files with TensorBoard's own `EventAccumulator` and Python's
/// `json`, so these tests check dpotop against the real tools' readers.
@Suite struct RealTRLRunTests {
  /// A fixture directory, found next to this source file (no bundle needed).
  static func fixture(_ relative: String) -> String {
    let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    return here.deletingLastPathComponent().appendingPathComponent("Fixtures/trl-real")
      .appendingPathComponent(relative).path
  }

  /// A copy of a fixture run in a fresh temp directory (for tests that change it).
  static func copy(_ run: String) throws -> String {
    let dir = NSTemporaryDirectory() + "dpotop-real-trl-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: fixture(run), toPath: dir + "/" + run)
    return dir + "/" + run
  }

  /// Per TensorBoard tag in the dpo run's event file, as `EventAccumulator`
  /// reads it: count, first step, last step, last value (float32 widened).
  static let dpoTags: [(tag: String, count: Int, first: Int, last: Int, value: Double)] = [
    ("eval/entropy", 4, 10, 40, 4.007084369659424),
    ("eval/logits/chosen", 4, 10, 40, -0.07177139818668365),
    ("eval/logits/rejected", 4, 10, 40, -0.07196658104658127),
    ("eval/logps/chosen", 4, 10, 40, -119.70081329345703),
    ("eval/logps/rejected", 4, 10, 40, -119.53096771240234),
    ("eval/loss", 4, 10, 40, 0.6960010528564453),
    ("eval/mean_token_accuracy", 4, 10, 40, 0.09626175463199615),
    ("eval/num_tokens", 4, 10, 40, 54434.0),
    ("eval/rewards/accuracies", 4, 10, 40, 0.4375),
    ("eval/rewards/chosen", 4, 10, 40, 0.18570423126220703),
    ("eval/rewards/margins", 4, 10, 40, -0.0047152042388916016),
    ("eval/rewards/rejected", 4, 10, 40, 0.19041943550109863),
    ("eval/runtime", 4, 10, 40, 0.8276000022888184),
    ("eval/samples_per_second", 4, 10, 40, 38.66400146484375),
    ("eval/steps_per_second", 4, 10, 40, 4.833000183105469),
    ("train/entropy", 40, 1, 40, 4.0076518058776855),
    ("train/grad_norm", 40, 1, 40, 0.29329726099967957),
    ("train/learning_rate", 40, 1, 40, 2.499999936844688e-05),
    ("train/logits/chosen", 40, 1, 40, -0.06890713423490524),
    ("train/logits/rejected", 40, 1, 40, -0.06776802986860275),
    ("train/logps/chosen", 40, 1, 40, -96.82839965820312),
    ("train/logps/rejected", 40, 1, 40, -97.0814208984375),
    ("train/loss", 40, 1, 40, 0.6882086396217346),
    ("train/mean_token_accuracy", 40, 1, 40, 0.1262626200914383),
    ("train/num_tokens", 40, 1, 40, 54434.0),
    ("train/rewards/accuracies", 40, 1, 40, 0.625),
    ("train/rewards/chosen", 40, 1, 40, 0.0869225561618805),
    ("train/rewards/margins", 40, 1, 40, 0.010756490752100945),
    ("train/rewards/rejected", 40, 1, 40, 0.0761660560965538),
    ("train/total_flos", 1, 40, 40, 8403287040.0),
    ("train/train_loss", 1, 40, 40, 0.6914885640144348),
    ("train/train_runtime", 1, 40, 40, 12.587300300598145),
    ("train/train_samples_per_second", 1, 40, 40, 25.422000885009766),
    ("train/train_steps_per_second", 1, 40, 40, 3.177999973297119),
  ]

  @Test func eventFileMatchesTensorBoardsOwnReader() throws {
    let source = TRLRunSource(path: Self.fixture("dpo-b0.1-s1"))
    var store = SeriesStore()
    try source.poll(into: &store)
    #expect(source.badCount == 0)
    for t in Self.dpoTags {
      let (split, key) = ImportedNames.fromTag(t.tag)
      let series = store.series(key, split)
      #expect(series?.count == t.count, "\(t.tag)")
      #expect(series?.steps.first == t.first, "\(t.tag)")
      #expect(series?.lastStep == t.last, "\(t.tag)")
      #expect(series?.last == t.value, "\(t.tag)")
    }
    // HF's callback logs the learning rate as train/learning_rate; dpotop calls it lr.
    #expect(store.series(MetricKey.learningRate)?.count == 40)
    #expect(store.series(MetricKey.rewardsChosen)?.steps == Array(1...40))
    #expect(store.series(MetricKey.rewardsMargins, .eval)?.steps == [10, 20, 30, 40])
    // train/epoch is written 45 times (again with each eval and the final
    // summary); one point per step remains.
    #expect(store.series(MetricKey.epoch)?.count == 40)
    #expect(store.series(MetricKey.epoch)?.last == 1.25)
  }

  @Test func dpoRunConfigComesFromTheArgsSummary() throws {
    let source = TRLRunSource(path: Self.fixture("dpo-b0.1-s1"))
    var store = SeriesStore()
    try source.poll(into: &store)
    let c = source.config()
    #expect(c.beta == 0.1)
    #expect(c.lossType == "sigmoid")
    #expect(c.learningRate == 0.001)
    #expect(c.maxSteps == 40)
    #expect(c.batchSize == 8)
    #expect(c.seed == 1)
    #expect(c.origins.contains("TensorBoard args summary"))
    let m = try source.manifest()
    #expect(m.name == "dpo-b0.1-s1")
    #expect(m.trainer == "trl")
    #expect(m.objective == "dpo")
    #expect(m.beta == 0.1)
    #expect(m.plannedSteps == 40)
    #expect(m.status == .finished)
  }

  @Test func slicRunMapsHingeBackToSlic() throws {
    let source = TRLRunSource(path: Self.fixture("slic-b1.0-s1"))
    var store = SeriesStore()
    try source.poll(into: &store)
    #expect(source.badCount == 0)
    let m = try source.manifest()
    #expect(source.config().lossType == "hinge")
    #expect(m.objective == "slic")
    #expect(m.beta == 1.0)
    #expect(m.status == .finished)
    #expect(store.series(MetricKey.rewardsChosen)?.last == 0.8015327453613281)
    #expect(store.series(MetricKey.rewardsMargins, .eval)?.last == -0.05227851867675781)
  }

  @Test func chosenLogRatioIsDerivedFromRewardsOverBeta() throws {
    let source = TRLRunSource(path: Self.fixture("dpo-b0.1-s1"))
    var store = SeriesStore()
    try source.poll(into: &store)
    let chosen = try #require(store.series(MetricKey.rewardsChosen))
    let ratio = try #require(store.series(ImportedNames.Derived.logRatioChosen))
    #expect(ratio.steps == chosen.steps)
    #expect(ratio.values == chosen.values.map { $0 / 0.1 })
    #expect(source.notes.contains { $0.contains("β = 0.1") })
  }

  @Test func trainerStateAloneGivesTheSameSeries() throws {
    let dir = try Self.copy("dpo-b0.1-s1")
    try FileManager.default.removeItem(atPath: dir + "/runs")
    #expect(
      TRLRunSource.trainerStatePath(in: dir)?.hasSuffix("checkpoint-40/trainer_state.json")
        == true)
    let source = TRLRunSource(path: dir)
    var store = SeriesStore()
    try source.poll(into: &store)
    #expect(source.badCount == 0)
    // trainer_state.json keeps full doubles; the event file has them as float32.
    let chosen = try #require(store.series(MetricKey.rewardsChosen))
    #expect(chosen.steps == Array(1...40))
    #expect(chosen.last == 0.0869225561618805)
    #expect(chosen.values.first == 0)
    let margins = try #require(store.series(MetricKey.rewardsMargins, .eval))
    #expect(margins.steps == [10, 20, 30, 40])
    #expect(margins.last == -0.0047152042388916016)
    #expect(store.series(MetricKey.loss, .eval)?.last == 0.6960010528564453)
    let m = try source.manifest()
    #expect(m.plannedSteps == 40)
    #expect(m.batchSize == 8)
    #expect(m.status == .finished)  // global_step 40 = max_steps 40
    #expect(source.notes.contains { $0.contains("trainer_state.json") })
  }

  @Test func eventsAndTrainerStateAgreeStepByStep() throws {
    let fromEvents = TRLRunSource(path: Self.fixture("dpo-b0.1-s1"))
    var a = SeriesStore()
    try fromEvents.poll(into: &a)
    let dir = try Self.copy("dpo-b0.1-s1")
    try FileManager.default.removeItem(atPath: dir + "/runs")
    var b = SeriesStore()
    try TRLRunSource(path: dir).poll(into: &b)
    for key in [MetricKey.rewardsChosen, MetricKey.rewardsMargins, MetricKey.logpsChosen] {
      let x = try #require(a.series(key))
      let y = try #require(b.series(key))
      #expect(x.steps == y.steps, "\(key)")
      for (u, v) in zip(x.values, y.values) {
        #expect(Float(u) == Float(v), "\(key)")
      }
    }
  }

  /// The event file as TRL writes it while training: appended in pieces
  /// that can end mid-record. Polls must only ever add points, never report
  /// a half-written record as bad, and end with what one read of the whole
  /// file gives.
  @Test func realEventFileGrowingInPiecesIsTailed() throws {
    let whole = TRLRunSource(path: Self.fixture("dpo-b0.1-s1"))
    var expected = SeriesStore()
    try whole.poll(into: &expected)
    let runs = Self.fixture("dpo-b0.1-s1/runs")
    let sub = try #require(try FileManager.default.contentsOfDirectory(atPath: runs).first)
    let name = try #require(
      try FileManager.default.contentsOfDirectory(atPath: runs + "/" + sub).first)
    let bytes = try #require(FileManager.default.contents(atPath: runs + "/" + sub + "/" + name))

    let dir = NSTemporaryDirectory() + "dpotop-real-trl-" + UUID().uuidString + "/run"
    try FileManager.default.createDirectory(
      atPath: dir + "/runs/" + sub, withIntermediateDirectories: true)
    let path = dir + "/runs/" + sub + "/" + name
    #expect(FileManager.default.createFile(atPath: path, contents: Data()))
    let handle = try #require(FileHandle(forWritingAtPath: path))
    defer { try? handle.close() }
    let source = TRLRunSource(path: dir)
    var store = SeriesStore()
    var counts: [Int] = []
    // Uneven pieces (primes), so cuts fall inside length fields, payloads and CRCs.
    var offset = 0
    var piece = 0
    let sizes = [13, 997, 4093, 7919, 89, 15013]
    while offset < bytes.count {
      let end = min(bytes.count, offset + sizes[piece % sizes.count])
      try handle.write(contentsOf: bytes[offset..<end])
      offset = end
      piece += 1
      try source.poll(into: &store)
      counts.append(store.series(MetricKey.rewardsChosen)?.count ?? 0)
    }
    #expect(counts.count > 5)
    #expect(counts == counts.sorted())
    #expect(Set(counts).count > 3)
    #expect(counts.last == 40)
    #expect(source.badCount == 0)
    for key in expected.keys(.train) {
      #expect(store.series(key) == expected.series(key), "\(key)")
    }
    for key in expected.keys(.eval) {
      #expect(store.series(key, .eval) == expected.series(key, .eval), "eval \(key)")
    }
  }

  /// Without event files the series come from the newest checkpoint, so they
  /// grow when TRL saves the next one.
  @Test func newCheckpointExtendsTheSeries() throws {
    let dir = try Self.copy("dpo-b0.1-s1")
    try FileManager.default.removeItem(atPath: dir + "/runs")
    let last = dir + "/checkpoint-40"
    let aside = dir + "/../checkpoint-40-later"
    try FileManager.default.moveItem(atPath: last, toPath: aside)
    let source = TRLRunSource(path: dir)
    var store = SeriesStore()
    try source.poll(into: &store)
    #expect(store.series(MetricKey.rewardsChosen)?.steps == Array(1...20))
    #expect(store.series(MetricKey.rewardsMargins, .eval)?.steps == [10, 20])
    #expect(try source.manifest().status != .finished)
    try FileManager.default.moveItem(atPath: aside, toPath: last)
    try source.poll(into: &store)
    #expect(store.series(MetricKey.rewardsChosen)?.steps == Array(1...40))
    #expect(store.series(MetricKey.rewardsMargins, .eval)?.steps == [10, 20, 30, 40])
    #expect(try source.manifest().status == .finished)
  }

  @Test func discoveryFindsBothRunsByName() throws {
    let found = RunDiscovery.sources(under: Self.fixture(""))
    let names = try found.map { try $0.manifest().name }
    #expect(names == ["dpo-b0.1-s1", "slic-b1.0-s1"])
    #expect(found.allSatisfy { $0 is TRLRunSource })
  }

  @Test func loadAnyGivesSummaryTheRun() throws {
    let (run, notes) = try LoadedRun.loadAny(Self.fixture("slic-b1.0-s1"))
    #expect(run.manifest?.objective == "slic")
    #expect(run.store.series(MetricKey.rewardsChosen)?.count == 40)
    #expect(run.badCount == 0)
    #expect(!notes.isEmpty)
  }
}

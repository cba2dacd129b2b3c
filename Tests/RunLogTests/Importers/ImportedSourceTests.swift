import Foundation
import Testing

@testable import RunLog

/// Copies the committed TRL fixture into a temp dir (tests may change it).
private func copyTRLRun(withEvents: Bool = true) throws -> String {
  let dir = Fixture.tempDir() + "/my-dpo-run"
  try FileManager.default.copyItem(atPath: Fixture.path("trl-run"), toPath: dir)
  if !withEvents { try FileManager.default.removeItem(atPath: dir + "/runs") }
  return dir
}

@Suite struct ImportedSourceTests {
  @Test func trlOutputDirReadsEventsAndConfig() throws {
    let dir = try copyTRLRun()
    let source = TRLRunSource(path: dir)
    var store = SeriesStore()
    try source.poll(into: &store)
    #expect(source.kind == "trl")
    let m = try source.manifest()
    #expect(m.name == "my-dpo-run")
    #expect(m.trainer == "trl")
    #expect(m.beta == 0.1)
    #expect(m.objective == "dpo")
    #expect(m.learningRate == 5e-7)
    #expect(m.plannedSteps == 8)
    #expect(m.batchSize == 4)
    #expect(m.status == .finished)
    #expect(store.series("rewards/chosen")?.count == 8)
    #expect(store.series("rewards/margins", .eval)?.steps == [4, 8])
    let chosen = try #require(store.series("rewards/chosen"))
    let ratio = try #require(store.series(ImportedNames.Derived.logRatioChosen))
    #expect(ratio.steps == chosen.steps)
    #expect(ratio.values == chosen.values.map { $0 / 0.1 })
    #expect(store.series(ImportedNames.Derived.logRatioChosen, .eval) != nil)
    #expect(source.notes.contains { $0.contains("rewards ÷ β (β = 0.1)") })
    #expect(source.badCount == 0)
  }

  @Test func trlOutputDirWithoutEventsUsesNewestTrainerState() throws {
    let dir = try copyTRLRun(withEvents: false)
    #expect(
      TRLRunSource.trainerStatePath(in: dir)?.hasSuffix("checkpoint-8/trainer_state.json") == true)
    Fixture.write(dir + "/args.json", Array("{\"beta\": 0.25, \"loss_type\": [\"hinge\"]}".utf8))
    let source = TRLRunSource(path: dir)
    var store = SeriesStore()
    try source.poll(into: &store)
    #expect(source.kind == "trl")
    #expect(store.series("loss")?.steps == Array(1...8))
    #expect(store.series("loss", .eval)?.steps == [4, 8])
    #expect(store.series(ImportedNames.Derived.logRatioChosen)?.values.first == -0.005 / 0.25)
    let m = try source.manifest()
    #expect(m.beta == 0.25)
    #expect(m.objective == "slic")
    #expect(source.notes.contains { $0.contains("trainer_state.json") })
  }

  @Test func liveTensorBoardDirPicksUpNewFilesAndRecords() throws {
    let dir = Fixture.tempDir() + "/tb"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let first = dir + "/events.out.tfevents.100.host"
    Fixture.write(first, TB.file([(1, [TB.simple("train/loss", 1)])]))
    let source = TRLRunSource(path: dir)
    var store = SeriesStore()
    try source.poll(into: &store)
    #expect(source.kind == "tensorboard")
    #expect(store.series("loss")?.steps == [1])
    let more = TB.frame(TB.event(step: 2, wall: 2, [TB.simple("train/loss", 0.5)]))
    Fixture.append(first, Array(more.prefix(10)))
    try source.poll(into: &store)
    #expect(store.series("loss")?.steps == [1])
    Fixture.append(first, Array(more.dropFirst(10)))
    // A resumed run writes a second file, which is read after the first.
    Fixture.write(
      dir + "/events.out.tfevents.200.host", TB.file([(3, [TB.simple("train/loss", 0.25)])]))
    try source.poll(into: &store)
    #expect(store.series("loss")?.steps == [1, 2, 3])
    #expect(store.series("loss")?.values == [1, 0.5, 0.25])
    #expect(try source.manifest().status == .running)
  }

  @Test func discoveryFindsEveryKindWithNames() throws {
    let root = Fixture.tempDir()
    // One of our own runs.
    let native = RunDirectory(path: root + "/native-run")
    try native.create()
    try native.writeManifest(RunManifest(id: "n1", name: "native", createdAt: 0))
    // A TRL output dir (events under runs/, checkpoints): one run.
    try FileManager.default.copyItem(atPath: Fixture.path("trl-run"), toPath: root + "/trl-out")
    // A plain TensorBoard log dir with two runs.
    try FileManager.default.createDirectory(
      atPath: root + "/logs/a", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(
      atPath: root + "/logs/b", withIntermediateDirectories: true)
    Fixture.write(root + "/logs/a/events.out.tfevents.1.h", TB.file([(1, [TB.simple("x", 1)])]))
    Fixture.write(root + "/logs/b/events.out.tfevents.1.h", TB.file([(1, [TB.simple("x", 1)])]))
    // CSV files: one with a step column, one without.
    Fixture.write(root + "/sweep.csv", Array("step,loss\n1,0.5\n".utf8))
    Fixture.write(root + "/table.csv", Array("a,b\n1,2\n".utf8))
    let found = RunDiscovery.sources(under: root)
    let summary = found.map { "\($0.kind) \(URL(fileURLWithPath: $0.id).lastPathComponent)" }
    #expect(
      summary == [
        "tensorboard a", "tensorboard b", "dpotop native-run", "csv sweep.csv", "trl trl-out",
      ])
    let names = try found.map { try $0.manifest().name }
    #expect(names == ["a", "b", "native", "sweep", "trl-out"])
    // A file or a TRL dir given directly.
    #expect(RunDiscovery.sources(under: root + "/sweep.csv").map(\.kind) == ["csv"])
    #expect(RunDiscovery.sources(under: root + "/trl-out").map(\.kind) == ["trl"])
  }
}

@Suite struct LoadAnyTests {
  @Test func loadsATRLOutputDirWithItsManifestAndNotes() throws {
    let (run, notes) = try LoadedRun.loadAny(Fixture.path("trl-run"))
    #expect(run.manifest?.trainer == "trl")
    #expect(run.manifest?.beta == 0.1)
    #expect(run.store.series("rewards/margins")?.count == 8)
    #expect(run.badCount == 0)
    #expect(notes.contains { $0.contains(ImportedNames.Derived.logRatioChosen) })
  }

  @Test func loadsACSVWithoutTrailingNewline() throws {
    let dir = Fixture.tempDir()
    Fixture.write(dir + "/run.csv", Array("step,loss\n1,0.5\n2,0.25".utf8))
    let (run, _) = try LoadedRun.loadAny(dir + "/run.csv")
    #expect(run.manifest?.trainer == "csv")
    #expect(run.store.series("loss")?.steps == [1, 2])
  }

  @Test func notARunStillSaysSo() {
    let dir = Fixture.tempDir()
    #expect(throws: RunLogError.self) { try LoadedRun.loadAny(dir) }
  }
}

@Suite struct JSONLImportTests {
  @Test func jsonlLogLinesMapKeysSplitsAndNaN() {
    let text = """
      {"step": 1, "loss": NaN, "learning_rate": 1e-6, "rewards/chosen": -0.1, "epoch": 0.1}
      {"global_step": 2, "eval_loss": 0.5, "eval_rewards/chosen": -0.2}
      {"step": 3, "split": "eval", "loss": 0.25}
      not json
      [1]

      {"loss": 1}
      """
    let parser = TailReader(path: "log.jsonl", names: .imported)
    var records: [MetricRecord] = []
    Array(text.utf8).withUnsafeBytes { _ = parser.feed($0) { records.append($0) } }
    _ = parser.finish { records.append($0) }
    #expect(records.map(\.step) == [1, 2, 3])
    #expect(records.map(\.split) == [.train, .eval, .eval])
    #expect(records[0]["loss"]?.isNaN == true)
    #expect(records[0]["lr"] == 1e-6)
    #expect(records[1]["rewards/chosen"] == -0.2)
    #expect(parser.badCount == 3)
    #expect(parser.recentBad.map(\.line) == [4, 5, 7])
  }

  @Test func outputDirWithOnlyAJSONLLogIsATRLRun() throws {
    let dir = Fixture.tempDir() + "/accelerate-run"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    Fixture.write(dir + "/train.jsonl", Array("{\"prompt\": \"x\"}\n".utf8))  // a dataset: ignored
    Fixture.write(
      dir + "/log_history.jsonl", Array("{\"step\": 1, \"rewards/chosen\": -0.5}\n".utf8))
    Fixture.write(dir + "/args.json", Array("{\"beta\": 0.5}".utf8))
    let found = RunDiscovery.sources(under: dir)
    #expect(found.map(\.kind) == ["trl"])
    let source = try #require(found.first)
    var store = SeriesStore()
    try source.poll(into: &store)
    Fixture.append(
      dir + "/log_history.jsonl", Array("{\"step\": 2, \"rewards/chosen\": -1}\n".utf8))
    try source.poll(into: &store)
    #expect(store.series("rewards/chosen")?.steps == [1, 2])
    #expect(store.series(ImportedNames.Derived.logRatioChosen)?.values == [-1, -2])
  }
}

@Suite struct TensorBoardXFixtureTests {
  /// Written by tensorboardX's SummaryWriter the way HF Trainer's
  /// TensorBoardCallback uses it (add_text args, add_hparams, rewritten tags).
  @Test func hfCallbackThroughTensorBoardX() throws {
    let source = TRLRunSource(path: Fixture.path("hf-tbx-run"))
    var store = SeriesStore()
    try source.poll(into: &store)
    #expect(source.badCount == 0)
    #expect(source.kind == "trl")
    let m = try source.manifest()
    #expect(m.beta == 0.3)
    #expect(m.objective == "ipo")
    #expect(m.plannedSteps == 8)
    let loss = try #require(store.series("loss"))
    #expect(loss.steps == [1, 2, 3, 4])
    #expect(loss.values[2].isNaN)
    #expect(loss.values[3] == Double(Float(0.6931 - 0.02 * 4)))
    #expect(store.series("loss", .eval)?.steps == [2, 4])
    #expect(
      store.series("rewards/margins", .eval)?.values == [Double(Float(0.2)), Double(Float(0.4))])
    let ratio = try #require(store.series(ImportedNames.Derived.logRatioChosen))
    #expect(ratio.values.first == Double(Float(0.1 * -0.05)) / 0.3)
    // add_hparams writes a file of its own in a time-named subdirectory.
    let files = TRLRunSource.eventFiles(in: Fixture.path("hf-tbx-run"))
    #expect(files.count == 2)
    var hp: [String: HParamValue] = [:]
    for f in files {
      let r = TFEventsFileReader(path: f)
      var s = SeriesStore()
      try r.poll(into: &s)
      hp.merge(r.parser.hparams) { a, _ in a }
    }
    #expect(hp["beta"] == .number(0.3))
    #expect(hp["loss_type"] == .string("ipo"))
    #expect(hp["max_steps"] == .number(8))
  }
}

@Suite struct ConfigChangeTests {
  @Test func editedBetaRebuildsDerivedSeries() throws {
    let dir = try copyTRLRun(withEvents: false)
    Fixture.write(dir + "/args.json", Array("{\"beta\": 0.5}".utf8))
    let source = TRLRunSource(path: dir)
    var store = SeriesStore()
    try source.poll(into: &store)
    #expect(store.series(ImportedNames.Derived.logRatioChosen)?.values.first == -0.005 / 0.5)
    Fixture.write(dir + "/args.json", Array("{\"beta\": 0.25, \"seed\": 7}".utf8))
    try source.poll(into: &store)
    let ratio = try #require(store.series(ImportedNames.Derived.logRatioChosen))
    #expect(ratio.values.first == -0.005 / 0.25)
    #expect(ratio.count == store.series("rewards/chosen")?.count)
    #expect(try source.manifest().seed == 7)
  }
}

@Suite struct CheckpointFollowTests {
  @Test func newerCheckpointAppendsOnlyItsNewEntries() throws {
    let dir = try copyTRLRun(withEvents: false)
    let later = Fixture.tempDir() + "/checkpoint-8"
    try FileManager.default.moveItem(atPath: dir + "/checkpoint-8", toPath: later)
    let source = TRLRunSource(path: dir)
    var store = SeriesStore()
    try source.poll(into: &store)
    #expect(store.series("loss")?.steps == Array(1...4))
    #expect(store.series("loss", .eval)?.steps == [4])
    // The trainer saves checkpoint-8: its history extends checkpoint-4's.
    try FileManager.default.moveItem(atPath: later, toPath: dir + "/checkpoint-8")
    let poll = try source.poll(into: &store)
    #expect(!poll.reset)
    #expect(poll.records == 4 + 1 + 1)  // steps 5-8, eval at 8, the end-of-training entry
    #expect(store.series("loss")?.steps == Array(1...8))
    #expect(store.series("loss", .eval)?.steps == [4, 8])
    #expect(store.series("train_runtime")?.steps == [8])
  }
}

@Suite struct SweepTRLRunTests {
  /// `dpotop sweep --preset trl` writes run.json into the directory TRL then
  /// writes its output to: one run, manifest from run.json, metrics from TRL.
  @Test func runDirectoryWithTRLOutputReadsBoth() throws {
    let root = Fixture.tempDir()
    let dir = root + "/dpo-b0.1-s1"
    try FileManager.default.copyItem(atPath: Fixture.path("trl-run"), toPath: dir)
    var manifest = RunManifest(
      id: "sweep/dpo", name: "dpo-b0.1-s1", createdAt: 5, trainer: "command")
    manifest.status = .running
    manifest.objective = "dpo"
    try RunDirectory(path: dir).writeManifest(manifest)
    let found = RunDiscovery.sources(under: root)
    #expect(found.count == 1)
    let source = try #require(found.first as? TRLRunSource)
    let m = try source.manifest()
    #expect(m.id == "sweep/dpo")
    #expect(m.trainer == "command")
    #expect(m.status == .running)  // the sweep's word, not a guess from file times
    #expect(m.beta == 0.1)  // filled from TRL's args
    #expect(m.plannedSteps == 8)
    let (run, notes) = try LoadedRun.loadAny(dir)
    #expect(run.manifest?.id == "sweep/dpo")
    #expect(run.store.series("rewards/chosen")?.count == 8)
    #expect(!notes.isEmpty)
  }

  @Test func runDirectoryOfAnotherTrainerBeforeItWritesAnything() throws {
    let dir = Fixture.tempDir() + "/queued"
    try RunDirectory(path: dir).create()
    try RunDirectory(path: dir).writeManifest(
      RunManifest(id: "q", name: "queued", createdAt: 0, trainer: "command"))
    let source = try #require(RunDiscovery.source(at: dir))
    #expect(source is TRLRunSource)
    var store = SeriesStore()
    let poll = try source.poll(into: &store)
    #expect(poll.records == 0)
    #expect(try source.manifest().status == .queued)
    // Our own runs stay native.
    let own = Fixture.tempDir() + "/own"
    try RunDirectory(path: own).create()
    try RunDirectory(path: own).writeManifest(RunManifest(id: "o", name: "own", createdAt: 0))
    #expect(RunDiscovery.source(at: own) is NativeRunSource)
  }
}

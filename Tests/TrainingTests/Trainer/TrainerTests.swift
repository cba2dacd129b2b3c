import Foundation
import RunLog
import Testing

@testable import Training

@Suite struct TrainerTests {
  @Test func finishedRunWritesManifestMetricsAndCheckpoints() throws {
    let run = TrainerFixtures.tempRun()
    defer { try? FileManager.default.removeItem(atPath: run.path) }
    let status = try Trainer(config: TrainerFixtures.sftConfig(), directory: run, log: { _ in })
      .run()
    #expect(status == .finished)
    let manifest = try run.readManifest()
    #expect(manifest.status == .finished)
    #expect(manifest.objective == "sft")
    #expect(manifest.pid == getpid())
    #expect(manifest.model?.dim == 8)
    #expect(manifest.dataset?.examples == 40)
    let records = TrainerFixtures.records(run)
    #expect(records.filter { $0.split == "train" }.map(\.step) == [1, 2, 3, 4, 5, 6])
    #expect(records.filter { $0.split == "eval" }.map(\.step) == [0, 3, 6])
    for r in records where r.split == "train" {
      for key in [
        MetricKey.loss, MetricKey.learningRate, MetricKey.gradNorm, MetricKey.tokensPerSecond,
      ] {
        #expect(r.values[key] != nil, "train record lacks \(key)")
      }
    }
    for r in records where r.split == "eval" {
      #expect(r.values[MetricKey.loss] != nil)
      #expect(r.values[MetricKey.taskAccuracy] != nil)
    }
    let final = try Checkpoint.read(from: run.checkpointsPath + "/final.ckpt")
    #expect(final.header.step == 6 && !final.header.hasOptimizerState)
    let latest = try Checkpoint.read(from: run.checkpointsPath + "/latest.ckpt")
    #expect(latest.header.hasOptimizerState && latest.parameters == final.parameters)
  }

  @Test func lossGoesDown() throws {
    let run = TrainerFixtures.tempRun()
    defer { try? FileManager.default.removeItem(atPath: run.path) }
    var c = TrainerFixtures.sftConfig(steps: 30)
    c.evalEvery = 30
    try Trainer(config: c, directory: run, log: { _ in }).run()
    let losses = TrainerFixtures.trainLosses(run)
    let first = (1...5).compactMap { losses[$0] }.reduce(0, +) / 5
    let last = (26...30).compactMap { losses[$0] }.reduce(0, +) / 5
    #expect(last < first - 0.5, "loss \(first) → \(last)")
    let evals = TrainerFixtures.records(run).filter { $0.split == "eval" }
    #expect((evals.last?.values["loss"] ?? 99) < (evals.first?.values["loss"] ?? 0))
  }

  @Test func resumedRunReproducesTheUninterruptedRunExactly() throws {
    let whole = TrainerFixtures.tempRun("whole")
    let parts = TrainerFixtures.tempRun("parts")
    defer {
      try? FileManager.default.removeItem(atPath: whole.path)
      try? FileManager.default.removeItem(atPath: parts.path)
    }
    let config = TrainerFixtures.sftConfig(steps: 6)
    let a = try Trainer(config: config, directory: whole, log: { _ in })
    try a.run()
    // Cancel at step 3 (as SIGTERM would), then resume to the end.
    let stop = StopFlag()
    let b = try Trainer(
      config: config, directory: parts, stop: stop,
      log: { line in if line.hasPrefix("eval step 3") { stop.raise("test") } })
    #expect(try b.run() == .cancelled)
    #expect(try parts.readManifest().status == .cancelled)
    #expect(TrainerFixtures.trainLosses(parts).keys.sorted() == [1, 2, 3])
    let c = try Trainer(config: config, directory: parts, resume: true, log: { _ in })
    #expect(try c.run() == .finished)
    #expect(TrainerFixtures.trainLosses(parts) == TrainerFixtures.trainLosses(whole))
    #expect(c.trainedModel.parameters == a.trainedModel.parameters)
  }

  @Test func resumeDropsMetricsLoggedAfterTheLastCheckpoint() throws {
    let run = TrainerFixtures.tempRun()
    defer { try? FileManager.default.removeItem(atPath: run.path) }
    var config = TrainerFixtures.sftConfig(steps: 4)
    config.checkpointEvery = 100
    let stop = StopFlag()
    try Trainer(config: config, directory: run, stop: stop, log: { _ in }).run()
    // Pretend the process died after logging a step 5 the checkpoint (step 4) lacks.
    let extra = "{\"step\":5,\"split\":\"train\",\"loss\":9}\n"
    let handle = try #require(FileHandle(forWritingAtPath: run.metricsPath))
    handle.seekToEndOfFile()
    handle.write(Data(extra.utf8))
    handle.closeFile()
    config.steps = 5
    try Trainer(config: config, directory: run, resume: true, log: { _ in }).run()
    let steps = TrainerFixtures.records(run).filter { $0.split == "train" }.map(\.step)
    #expect(steps == [1, 2, 3, 4, 5])
    #expect(TrainerFixtures.trainLosses(run)[5] != 9)
  }

  @Test func aRunKilledInsideAnAtomicWriteBeforeItsFirstCheckpointStartsOver() throws {
    let run = TrainerFixtures.tempRun()
    defer { try? FileManager.default.removeItem(atPath: run.path) }
    let config = TrainerFixtures.sftConfig(steps: 3)
    try Trainer(config: config, directory: run, log: { _ in }).run()
    // As if SIGKILLed before any checkpoint, in the middle of the metrics
    // trim (an atomic rewrite) and of a manifest write: their temporaries stay.
    try FileManager.default.removeItem(atPath: run.checkpointsPath)
    for name in [RunDirectory.metricsName, RunDirectory.manifestName] {
      FileManager.default.createFile(
        atPath: run.path + "/\(name).tmp.99999", contents: Data("{".utf8))
    }
    var lines: [String] = []
    let resumed = try Trainer(
      config: config, directory: run, resume: true, log: { lines.append($0) })
    #expect(try resumed.run() == .finished)
    #expect(lines.contains { $0.contains("starting over") })
    let steps = TrainerFixtures.records(run).filter { $0.split == "train" }.map(\.step)
    #expect(steps == [1, 2, 3])
  }

  @Test func nonFiniteLossMarksTheRunFailedWithItsStep() throws {
    let run = TrainerFixtures.tempRun()
    defer { try? FileManager.default.removeItem(atPath: run.path) }
    let trainer = try Trainer(config: TrainerFixtures.sftConfig(), directory: run, log: { _ in })
    let model = trainer.trainedModel
    model.params[model.layout.lnfw.lowerBound] = .nan
    #expect(try trainer.run() == .failed)
    let manifest = try run.readManifest()
    #expect(manifest.status == .failed)
    #expect(manifest.error == "step 1: loss is not finite")
  }

  @Test func refusesANonEmptyOutputDirectoryBeforeWritingAnything() throws {
    let run = TrainerFixtures.tempRun()
    try FileManager.default.createDirectory(atPath: run.path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: run.path) }
    _ = FileManager.default.createFile(atPath: run.path + "/notes.txt", contents: Data("x".utf8))
    #expect(throws: TrainingError.self) {
      try Trainer(config: TrainerFixtures.sftConfig(), directory: run, log: { _ in })
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: run.path) == ["notes.txt"])
    // --resume into a directory without a checkpoint is refused too.
    #expect(throws: TrainingError.self) {
      try Trainer(config: TrainerFixtures.sftConfig(), directory: run, resume: true, log: { _ in })
    }
  }

  @Test func aSecondTrainerCannotTakeALockedRun() throws {
    let run = TrainerFixtures.tempRun()
    try FileManager.default.createDirectory(atPath: run.path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: run.path) }
    var held: RunLock? = try RunLock.take(run)
    // flock locks belong to the open file description: a second open conflicts.
    #expect(
      throws: TrainingError(.locked(path: run.path), hint: "is another 'dpotop train' running?")
    ) {
      _ = try RunLock.take(run)
    }
    #expect(held != nil)
    held = nil  // releasing the holder frees the run
    _ = try RunLock.take(run)
  }

  @Test func badConfigurationsNameTheirOption() {
    var c = TrainingConfig()
    c.beta = 0
    #expect(throws: TrainingError(.badOption(name: "beta", reason: "must be positive"))) {
      try c.validate()
    }
    c = TrainingConfig()
    c.model.heads = 5
    #expect(throws: TrainingError.self) { try c.validate() }
    c = TrainingConfig()
    c.steps = 0
    #expect(throws: TrainingError(.badOption(name: "steps", reason: "must be at least 1"))) {
      try c.validate()
    }
  }

  @Test func learningRateWarmsUpThenDecaysToATenth() {
    var c = TrainingConfig()
    c.learningRate = 1
    c.warmupSteps = 10
    c.steps = 110
    #expect(c.learningRate(at: 5) == 0.5)
    #expect(c.learningRate(at: 10) == 1)
    #expect(abs(c.learningRate(at: 60) - 0.55) < 1e-12)
    #expect(abs(c.learningRate(at: 110) - 0.1) < 1e-12)
    c.cosineDecay = false
    #expect(c.learningRate(at: 110) == 1)
  }
}

@Suite struct QueuedRunTests {
  @Test func trainsIntoASweepsQueuedPlaceholderKeepingItsIdentity() throws {
    let run = TrainerFixtures.tempRun()
    try run.create()
    defer { try? FileManager.default.removeItem(atPath: run.path) }
    var queued = RunManifest(id: "sweep1-dpo-b0.1", name: "dpo β=0.1", createdAt: 1)
    queued.sweepId = "sweep1"
    queued.sweepAxes = ["beta": "0.1"]
    try run.writeManifest(queued)
    _ = FileManager.default.createFile(atPath: run.logPath, contents: Data())
    try Trainer(config: TrainerFixtures.sftConfig(steps: 2), directory: run, log: { _ in }).run()
    let m = try run.readManifest()
    #expect(m.status == .finished)
    #expect(m.id == "sweep1-dpo-b0.1" && m.sweepId == "sweep1" && m.sweepAxes == ["beta": "0.1"])
  }

  @Test func refusesADirectoryWithARunningOrFinishedManifest() throws {
    let run = TrainerFixtures.tempRun()
    try run.create()
    defer { try? FileManager.default.removeItem(atPath: run.path) }
    try run.writeManifest(RunManifest(id: "x", name: "x", createdAt: 1, status: .finished))
    #expect(throws: TrainingError.self) {
      try Trainer(config: TrainerFixtures.sftConfig(steps: 2), directory: run, log: { _ in })
    }
  }

  /// Slurm writes the job's output file into the run directory before the
  /// trainer starts; that is the launcher's file, not training output.
  @Test func acceptsALaunchersFilesBesideAQueuedManifestButNotTrainingOutput() throws {
    let run = TrainerFixtures.tempRun()
    try run.create()
    defer { try? FileManager.default.removeItem(atPath: run.path) }
    try run.writeManifest(RunManifest(id: "q", name: "q", createdAt: 1, status: .queued))
    _ = FileManager.default.createFile(atPath: run.path + "/slurm-42.out", contents: Data())
    #expect(Trainer.isQueuedPlaceholder(run, ["run.json", "slurm-42.out", "trainer.log"]))
    #expect(!Trainer.isQueuedPlaceholder(run, ["run.json", "metrics.jsonl"]))
    #expect(!Trainer.isQueuedPlaceholder(run, ["run.json", "checkpoints"]))
    try Trainer(config: TrainerFixtures.sftConfig(steps: 1), directory: run, log: { _ in }).run()
    #expect(try run.readManifest().status == .finished)
  }
}

import Foundation
import RunLog

/// A training run: validates its configuration and data, owns the run
/// directory (lock, manifest, metrics, checkpoints) and drives the loop.
///
/// Everything that can be refused is checked in `init` before anything is
/// written, so a bad option leaves no trace on disk.
public final class Trainer {
  /// The run's configuration.
  public let config: TrainingConfig
  /// Where the run lives.
  public let directory: RunDirectory
  /// Whether this continues a run from its last checkpoint.
  public let resume: Bool
  /// A resume asked of a run killed before its first checkpoint: it starts
  /// over from step 0 in the same directory (its old records are dropped).
  public let startsOver: Bool
  /// Polled between steps; raised by signals.
  public let stop: StopFlag
  /// Receives human-readable progress lines.
  let log: (String) -> Void

  let model: TinyTransformer
  var stepper: any ObjectiveStepper
  let datasetInfo: DatasetInfo
  /// The checkpoint to continue from (resume) or start from (preference runs).
  let start: Checkpoint?

  /// Name of the checkpoint rewritten every `checkpointEvery` steps (with optimiser state).
  public static let latestCheckpoint = "latest.ckpt"
  /// Name of the weights-only checkpoint written at the end of a finished run.
  public static let finalCheckpoint = "final.ckpt"

  /// Validates everything and loads the data and starting weights.
  public init(
    config: TrainingConfig, directory: RunDirectory, resume: Bool = false,
    stop: StopFlag = StopFlag(), log: @escaping (String) -> Void = { print($0) }
  ) throws(TrainingError) {
    try config.validate()
    // A forced kernel path this CPU cannot run is refused here, not at the first SIGILL.
    _ = try KernelPath.selection.get()
    self.config = config
    self.directory = directory
    let latest = directory.checkpointsPath + "/" + Self.latestCheckpoint
    let hasCheckpoint = FileManager.default.fileExists(atPath: latest)
    self.resume = resume && hasCheckpoint
    self.startsOver = resume && !hasCheckpoint
    self.stop = stop
    self.log = log
    try Self.checkDirectory(directory, resume: resume)
    var start: Checkpoint?
    if self.resume {
      start = try Checkpoint.read(from: latest)
    } else if config.objective.isPreference {
      guard let ref = config.reference else {
        throw TrainingError(.badOption(name: "ref", reason: "a preference run needs a reference"))
      }
      start = try Checkpoint.read(from: ref)
    } else if let initFrom = config.initFrom {
      start = try Checkpoint.read(from: initFrom)
    }
    let shape = start?.header.model ?? config.model
    guard shape.vocab == Tokenizer.standard.vocabSize else {
      throw TrainingError(
        .mismatch(
          path: self.resume ? latest : config.reference ?? config.initFrom ?? "",
          reason:
            "vocab \(shape.vocab) differs from this tokenizer's \(Tokenizer.standard.vocabSize)"
        ))
    }
    self.start = start
    let maxBatch = config.objective.isPreference ? 2 * config.batch : config.batch
    model = TinyTransformer(config: shape, maxBatch: max(maxBatch, 1), threads: config.threads)
    if let start {
      model.parameters = start.parameters
    } else {
      model.initialiseWeights(seed: config.seed)
    }
    (stepper, datasetInfo) = try Self.makeStepper(
      config, model: model, runName: URL(fileURLWithPath: directory.path).lastPathComponent)
  }

  /// Builds the objective's stepper and describes its data.
  static func makeStepper(
    _ config: TrainingConfig, model: TinyTransformer, runName: String
  ) throws(TrainingError) -> (any ObjectiveStepper, DatasetInfo) {
    do {
      if config.objective.isPreference {
        return try makePreferenceStepper(config, model: model, runName: runName)
      }
      let data = try DatasetSource.sft(
        config.data, trainCount: config.trainCount, heldOutCount: config.heldOutCount,
        seed: config.seed)
      guard !data.train.isEmpty else {
        throw TrainingError(.badOption(name: "data", reason: "\(config.data) has no training rows"))
      }
      let info = DatasetInfo(
        name: data.name, path: BuiltinDataset(rawValue: config.data) == nil ? config.data : nil,
        examples: data.train.count, heldOut: data.heldOut.count)
      let stepper = SFTStepper(
        data: data, batch: config.batch, seed: config.seed, evalSamples: config.evalSamples,
        evalLossRows: config.evalLossRows)
      return (stepper, info)
    } catch let error as TrainingError {
      throw error
    } catch let error as ObjectiveError {
      throw TrainingError(.badOption(name: error.field, reason: error.reason))
    } catch {
      throw TrainingError(.badOption(name: "data", reason: "\(error)"))
    }
  }

  /// Refuses a fresh run into a non-empty directory and a resume without a checkpoint.
  static func checkDirectory(_ directory: RunDirectory, resume: Bool) throws(TrainingError) {
    let fm = FileManager.default
    var isDir: ObjCBool = false
    let exists = fm.fileExists(atPath: directory.path, isDirectory: &isDir)
    if exists && !isDir.boolValue {
      throw TrainingError(.badRunDirectory(path: directory.path, reason: "is a file"))
    }
    if resume {
      // Without a checkpoint (killed before its first one) a run that has a
      // manifest starts over; a directory that never held a run is refused.
      let latest = directory.checkpointsPath + "/" + latestCheckpoint
      let items = (try? fm.contentsOfDirectory(atPath: directory.path)) ?? []
      guard exists, fm.fileExists(atPath: latest) || items.allSatisfy(isRunFile) else {
        throw TrainingError(
          .badRunDirectory(path: directory.path, reason: "has no checkpoint to resume from"),
          hint: "expected \(latest)")
      }
    } else if exists, let items = try? fm.contentsOfDirectory(atPath: directory.path),
      !items.isEmpty, !isQueuedPlaceholder(directory, items)
    {
      throw TrainingError(
        .badRunDirectory(path: directory.path, reason: "exists and is not empty"),
        hint: "choose a new --out, or pass --resume to continue the run there")
    }
  }

  /// Whether `name` is a file a run directory holds (so a directory of only
  /// these, killed before its first checkpoint, may start over on --resume).
  static func isRunFile(_ name: String) -> Bool {
    let known: Set = [
      RunDirectory.manifestName, RunDirectory.metricsName, RunDirectory.logName,
      RunDirectory.lockName, RunDirectory.checkpointsName, RunDirectory.probesName,
    ]
    // A trainer killed inside an atomic write leaves its temporary
    // (`run.json.tmp.<pid>`, `metrics.jsonl.tmp.<pid>` while trimming).
    return known.contains(name) || RunDirectory.isLauncherFile(name)
      || known.contains { name.hasPrefix($0 + ".tmp.") }
  }

  /// Whether the directory holds only what a launcher prepares for a run
  /// that has not started: a `queued` manifest and no training output yet (no
  /// metrics, no checkpoints). Launchers add their own files beside it — the
  /// log and lock, a scheduler's output (`slurm-<job>.out`) — and those are
  /// not the trainer's to refuse.
  static func isQueuedPlaceholder(_ directory: RunDirectory, _ items: [String]) -> Bool {
    guard items.contains(RunDirectory.manifestName),
      !items.contains(RunDirectory.metricsName), !items.contains(RunDirectory.checkpointsName)
    else { return false }
    guard let m = try? directory.readManifest() else { return false }
    // A command-backend supervisor marks the run running with the pid it
    // started — which is this process.
    return m.status == .queued || (m.status == .running && m.pid == getpid())
  }

  /// The model being trained (for tests and benchmarks).
  public var trainedModel: TinyTransformer { model }

  /// The manifest of this run at its start.
  func makeManifest() -> RunManifest {
    let now = Date().timeIntervalSince1970
    var m =
      // A resumed run, or a run a sweep queued, keeps its identity and sweep axes.
      (try? directory.readManifest())
      ?? RunManifest(
        id: "\(URL(fileURLWithPath: directory.path).lastPathComponent)-\(Int(now))",
        name: URL(fileURLWithPath: directory.path).lastPathComponent, createdAt: now)
    m.objective = config.objective.rawValue
    if let initFrom = config.initFrom, !config.objective.isPreference {
      m.reference = initFrom
    }
    if config.objective.isPreference {
      m.beta = config.beta
      m.lambda = config.objective == .dpop ? config.lambda : nil
      m.reference = config.reference
    }
    m.learningRate = config.learningRate
    m.plannedSteps = config.steps
    m.batchSize = config.batch
    m.seed = Int(truncatingIfNeeded: config.seed)
    m.dataset = datasetInfo
    m.trainerSettings = TrainerSettings(
      warmupSteps: config.warmupSteps, trainRows: config.trainCount, evalEvery: config.evalEvery,
      evalSamples: config.evalSamples, evalPairs: config.evalLossRows, probes: config.probes,
      bestOf: config.bestOf, bestOfPrompts: config.bestOfPrompts,
      checkpointEvery: config.checkpointEvery, weightDecay: config.weightDecay)
    let shape = model.config
    m.model = ModelInfo(
      layers: shape.layers, dim: shape.dim, heads: shape.heads, context: shape.context,
      vocab: shape.vocab, parameters: model.parameterCount)
    m.pid = getpid()
    m.status = .running
    m.error = nil
    m.updatedAt = now
    return m
  }
}

import Foundation

/// Where a run is in its life, as its trainer last wrote it.
///
/// `stopped` is never written by a trainer: a reader derives it when the
/// manifest says `running` but the trainer's process is gone.
public enum RunStatus: String, Sendable, Codable, CaseIterable {
  case queued, running, finished, failed, cancelled, stopped
}

/// The preference data (or SFT data) a run trained on.
public struct DatasetInfo: Sendable, Codable, Equatable {
  /// Built-in name (`math-low-edit`, ...) or file name.
  public var name: String
  /// File path when loaded from a file.
  public var path: String?
  /// Number of training examples (pairs for preference data).
  public var examples: Int?
  /// Number of held-out examples.
  public var heldOut: Int?
  /// Mean normalised edit distance between chosen and rejected (the paper's diagnostic).
  public var meanEditDistance: Double?

  /// Creates a dataset description.
  public init(
    name: String, path: String? = nil, examples: Int? = nil, heldOut: Int? = nil,
    meanEditDistance: Double? = nil
  ) {
    self.name = name
    self.path = path
    self.examples = examples
    self.heldOut = heldOut
    self.meanEditDistance = meanEditDistance
  }

  enum CodingKeys: String, CodingKey {
    case name, path, examples
    case heldOut = "held_out"
    case meanEditDistance = "mean_edit_distance"
  }
}

/// The shape of the model a run trains.
public struct ModelInfo: Sendable, Codable, Equatable {
  public var layers: Int
  public var dim: Int
  public var heads: Int
  public var context: Int
  public var vocab: Int
  public var parameters: Int

  /// Creates a model description.
  public init(layers: Int, dim: Int, heads: Int, context: Int, vocab: Int, parameters: Int) {
    self.layers = layers
    self.dim = dim
    self.heads = heads
    self.context = context
    self.vocab = vocab
    self.parameters = parameters
  }
}

/// `run.json`: everything a reader needs to know about a run besides its metrics.
///
/// Written atomically (temp file + rename) by `RunDirectory.writeManifest`, so
/// a reader never sees a torn manifest. Unknown keys are ignored on read and
/// every field but the identity is optional, so importers can describe runs
/// trained elsewhere with what they know.
public struct RunManifest: Sendable, Codable, Equatable {
  /// The version of this format; readers refuse versions they do not know.
  public static let currentFormatVersion = 1

  public var formatVersion: Int
  /// Stable identifier (unique within a machine).
  public var id: String
  /// Human name shown in the runs pane.
  public var name: String
  /// Unix seconds when the run was created.
  public var createdAt: Double
  /// Who wrote the run: `dpotop`, `trl`, `tensorboard`, `csv`, ...
  public var trainer: String
  /// `sft`, `dpo`, `dpop`, `ipo`, `slic`, or an imported loss type.
  public var objective: String?
  public var beta: Double?
  public var lambda: Double?
  public var learningRate: Double?
  public var plannedSteps: Int?
  public var batchSize: Int?
  public var seed: Int?
  public var dataset: DatasetInfo?
  public var model: ModelInfo?
  /// The sweep this run belongs to, if any.
  public var sweepId: String?
  /// The sweep axis values of this run (`beta` → `0.1`, `objective` → `dpop`).
  public var sweepAxes: [String: String]?
  /// The trainer's process id while it runs.
  public var pid: Int32?
  /// Where the run is in its life.
  public var status: RunStatus
  /// Why the run failed, when it did.
  public var error: String?
  /// Unix seconds of the last status change.
  public var updatedAt: Double?
  /// The checkpoint to start from (`--ref`), if any.
  public var reference: String?
  /// dpotop's trainer: the schedule and evaluation the run was started with.
  public var trainerSettings: TrainerSettings?

  /// Creates a manifest with the required identity; every other field starts empty.
  public init(
    id: String, name: String, createdAt: Double, trainer: String = "dpotop",
    status: RunStatus = .queued
  ) {
    self.formatVersion = Self.currentFormatVersion
    self.id = id
    self.name = name
    self.createdAt = createdAt
    self.trainer = trainer
    self.status = status
  }

  enum CodingKeys: String, CodingKey {
    case formatVersion = "format_version"
    case id, name
    case createdAt = "created_at"
    case trainer, objective, beta, lambda
    case learningRate = "learning_rate"
    case plannedSteps = "planned_steps"
    case batchSize = "batch_size"
    case seed, dataset, model
    case sweepId = "sweep_id"
    case sweepAxes = "sweep_axes"
    case pid, status, error
    case updatedAt = "updated_at"
    case reference
    case trainerSettings = "trainer_settings"
  }
}

extension RunManifest {
  /// Parses a manifest from JSON bytes; `path` only names the origin in errors.
  public static func decode(_ data: Data, path: String) throws(RunLogError) -> RunManifest {
    let manifest: RunManifest
    let decoder = JSONDecoder()
    // The spellings `encoded()` writes for non-finite numbers read back as numbers.
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    do {
      manifest = try decoder.decode(RunManifest.self, from: data)
    } catch {
      throw RunLogError(
        .badManifest(path: path, reason: ManifestErrorLocation.describe(data, error)))
    }
    guard manifest.formatVersion == currentFormatVersion else {
      throw RunLogError(
        .badManifest(
          path: path, reason: "format_version \(manifest.formatVersion) is not supported"),
        hint: "this dpotop reads format_version \(currentFormatVersion)")
    }
    return manifest
  }

  /// Encodes as pretty, key-sorted JSON (stable output: decode → encode is a fixed point).
  public func encoded() -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    // Encoding plain value types cannot fail; fall back to an empty object defensively.
    return (try? encoder.encode(self)) ?? Data("{}".utf8)
  }
}

/// Turns a `DecodingError` into one line naming the field.
func describeDecodingError(_ error: Error) -> String {
  guard let error = error as? DecodingError else { return "\(error)" }
  func path(_ keys: [CodingKey]) -> String {
    keys.isEmpty
      ? "top level"
      : keys.map { $0.intValue.map(String.init) ?? $0.stringValue }
        .joined(separator: ".")
  }
  switch error {
  case .keyNotFound(let key, let ctx):
    return "missing field \"\(path(ctx.codingPath + [key]))\""
  case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx):
    return "field \"\(path(ctx.codingPath))\": \(ctx.debugDescription)"
  case .dataCorrupted(let ctx):
    let under = (ctx.underlyingError as NSError?)?.localizedDescription
    return "\(ctx.codingPath.isEmpty ? "" : "field \"\(path(ctx.codingPath))\": ")"
      + "\(ctx.debugDescription)\(under.map { " (\($0))" } ?? "")"
  @unknown default:
    return "\(error)"
  }
}

extension RunManifest {
  /// Encodes as compact, key-sorted JSON (for embedding in other JSON).
  public func encodedCompact() -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    return (try? encoder.encode(self)) ?? Data("{}".utf8)
  }
}

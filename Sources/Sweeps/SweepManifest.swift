import Foundation
import RunLog

/// `sweep.json`: what a sweep is, which runs it holds and who drives them.
///
/// Written atomically by the process that drives the sweep (the supervisor
/// for the local backend). The run directories stay the truth about each
/// run; this file records the plan, the backend and each run's handle (a pid
/// or a scheduler job id) so a reopened dashboard finds everything again.
public struct SweepManifest: Sendable, Codable, Equatable {
  public static let fileName = "sweep.json"
  public static let lockName = "sweep.lock"
  public static let logName = "sweep.log"
  public static let currentFormatVersion = 1

  /// One run of the sweep.
  public struct Run: Sendable, Codable, Equatable {
    /// Directory name inside the sweep directory (a single safe path component).
    public var name: String
    public var objective: String
    public var beta: Double
    public var seed: Int
    /// `pid:1234` or `job:5678` once launched.
    public var handle: String?

    enum CodingKeys: String, CodingKey { case name, objective, beta, seed, handle }
  }

  public var formatVersion: Int
  public var id: String
  public var name: String
  public var createdAt: Double
  /// `local` (the embedded trainer on this machine), `command` (any trainer
  /// from an argv template, on this machine) or `slurm`.
  public var backend: String
  public var spec: SweepSpec
  public var runs: [Run]
  /// The argv template (backends `command`, and `slurm` when it runs another trainer).
  public var command: CommandTemplate?
  /// Extra `sbatch` options (backend `slurm`).
  public var slurmArgs: [String]?
  /// The pid of the supervisor process while it drives the sweep.
  public var supervisorPid: Int32?
  /// `running`, `finished`, `cancelled`.
  public var status: String

  enum CodingKeys: String, CodingKey {
    case formatVersion = "format_version"
    case id, name
    case createdAt = "created_at"
    case backend, spec, runs, command
    case slurmArgs = "slurm_args"
    case supervisorPid = "supervisor_pid"
    case status
  }

  /// A new manifest for `spec`'s plan.
  public init(
    id: String, name: String, createdAt: Double, backend: String, spec: SweepSpec,
    command: CommandTemplate? = nil, slurmArgs: [String]? = nil
  ) {
    self.command = command
    self.slurmArgs = slurmArgs
    formatVersion = Self.currentFormatVersion
    self.id = id
    self.name = name
    self.createdAt = createdAt
    self.backend = backend
    self.spec = spec
    runs = spec.plan().map {
      Run(name: $0.name, objective: $0.objective, beta: $0.beta, seed: $0.seed)
    }
    status = "running"
  }

  /// Reads and validates `sweep.json` in `dir`: every run name must be a safe
  /// single component, since the file may have been edited by anyone.
  public static func read(from dir: String) throws(SweepError) -> SweepManifest {
    let path = dir + "/" + fileName
    let data: Data
    do {
      data = try readWholeFile(path)
    } catch {
      throw SweepError(field: nil, error.description)
    }
    let manifest: SweepManifest
    do {
      manifest = try JSONDecoder().decode(SweepManifest.self, from: data)
    } catch {
      throw SweepError("\(path): bad sweep manifest: \(error)")
    }
    guard manifest.formatVersion == currentFormatVersion else {
      throw SweepError("\(path): format_version \(manifest.formatVersion) is not supported")
    }
    for run in manifest.runs {
      do {
        try SafeName.check(run.name, field: "runs.name")
      } catch {
        throw SweepError("\(path): \(error.description)")
      }
    }
    return manifest
  }

  /// Writes `sweep.json` in `dir` atomically.
  public func write(to dir: String) throws(SweepError) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(self) else {
      throw SweepError("cannot encode the sweep manifest")
    }
    do {
      try writeFileAtomically(dir + "/" + Self.fileName, data)
    } catch {
      throw SweepError(error.description)
    }
  }
}

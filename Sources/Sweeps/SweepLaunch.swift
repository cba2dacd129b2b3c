import Foundation
import Processes

/// Where a sweep's runs train.
public enum SweepBackend: String, CaseIterable, Sendable, Equatable {
  /// The embedded trainer on this machine, at most `jobs` at once.
  case local
  /// Any trainer from an argv template, on this machine.
  case command
  /// One `sbatch` job per run.
  case slurm

  /// The backend named `text`, or an error naming the field.
  public static func parse(_ text: String) throws(SweepError) -> SweepBackend {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard let backend = SweepBackend(rawValue: trimmed) else {
      throw SweepError(
        field: "backend", "unknown backend '\(sanitizeForMessage(trimmed))'",
        hint: "local, command or slurm")
    }
    return backend
  }
}

/// Everything needed to start a sweep: what to train (`spec`) and where
/// (backend, sbatch options, argv template).
///
/// Kept apart from `SweepSpec` so `sweep.json` stays as it was: the backend,
/// template and sbatch options are recorded once, as `SweepManifest` fields.
/// `dpotop sweep` and the dashboard's form both build one of these and call
/// the same `set`, `validate` and `start`, so they accept the same things.
public struct SweepLaunch: Sendable, Equatable {
  public var spec: SweepSpec
  public var backend: SweepBackend
  /// Extra `sbatch` options, one argument each (backend `slurm` only).
  public var slurmArgs: [String]
  /// The argv template (backend `command`; optional for `slurm`).
  public var command: CommandTemplate?

  /// A launch of `spec` (the defaults: the paper's ablation, on this machine).
  public init(
    spec: SweepSpec = SweepSpec(), backend: SweepBackend = .local, slurmArgs: [String] = [],
    command: CommandTemplate? = nil
  ) {
    self.spec = spec
    self.backend = backend
    self.slurmArgs = slurmArgs
    self.command = command
  }

  /// At most this many sbatch options (a guard against pasted garbage).
  public static let maxSlurmArgs = 64

  /// The fields the form shows, in order: the spec's, then where it runs.
  public enum Field: String, CaseIterable, Sendable {
    case objectives, betas, lambda, steps, lr, data, seeds, jobs, out, backend
    case slurmArgs = "slurm args"

    /// The spec field this is, if it is one.
    public var specField: SweepSpec.Field? { SweepSpec.Field(rawValue: rawValue) }
  }

  /// The current value of `field`, as text.
  public func text(_ field: Field) -> String {
    switch field {
    case .backend: return backend.rawValue
    case .slurmArgs: return ArgvText.join(slurmArgs)
    default: return field.specField.map(spec.text) ?? ""
    }
  }

  /// Sets `field` from typed text, or throws a message naming the field.
  /// Slurm args are split like a shell would (quotes keep spaces) but never
  /// reach one.
  public mutating func set(_ field: Field, _ text: String) throws(SweepError) {
    switch field {
    case .backend:
      backend = try SweepBackend.parse(text)
    case .slurmArgs:
      guard text.utf8.count <= 4096 else {
        throw SweepError(field: field.rawValue, "value is too long (\(text.utf8.count) bytes)")
      }
      let args: [String]
      do { args = try ArgvText.split(text, field: field.rawValue) } catch {
        throw SweepError(error)
      }
      try Self.checkSlurmArgs(args)
      slurmArgs = args
    default:
      guard let f = field.specField else { return }
      try spec.set(f, text)
    }
  }

  /// Refuses sbatch options that cannot be what the user meant: empty or
  /// control characters, or a first word that is not an option (sbatch
  /// would take it for the batch script).
  public static func checkSlurmArgs(_ args: [String]) throws(SweepError) {
    let field = SweepLaunch.Field.slurmArgs.rawValue
    guard args.count <= maxSlurmArgs else {
      throw SweepError(field: field, "\(args.count) options; at most \(maxSlurmArgs)")
    }
    for arg in args {
      guard !arg.isEmpty else { throw SweepError(field: field, "an empty option") }
      guard !arg.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
        throw SweepError(field: field, "'\(sanitizeForMessage(arg))' contains a control character")
      }
    }
    if let first = args.first, !first.hasPrefix("-") {
      throw SweepError(
        field: field, "'\(sanitizeForMessage(first))' is not an sbatch option",
        hint: "options start with -, e.g. --partition=gpu --time=01:00:00")
    }
  }

  /// Checks the combination: the spec's runs, sbatch options only for Slurm,
  /// a template exactly where the backend needs one, every objective mapped.
  public func validate() throws(SweepError) {
    try spec.validate()
    if !slurmArgs.isEmpty, backend != .slurm {
      throw SweepError(
        field: Field.slurmArgs.rawValue,
        "sbatch options only apply to backend slurm (this sweep is \(backend.rawValue))",
        hint: "set the backend to slurm (--backend slurm), or drop the sbatch options")
    }
    switch (backend, command) {
    case (.command, nil):
      throw SweepError(
        field: "backend", "command needs an argv template",
        hint: "dpotop sweep --backend command --out DIR -- TRAINER ARGS ({beta}, {out}, ...)")
    case (.local, .some):
      throw SweepError(field: "backend", "a command template needs backend command or slurm")
    default:
      try command?.check(objectives: spec.objectives)
    }
  }
}

import RunLog

/// Everything that can go wrong configuring or running the trainer.
///
/// Each error names its origin (file, option, step) so the user can act on
/// it; `description` is one line plus an optional hint.
public struct TrainingError: Error, CustomStringConvertible, Sendable, Equatable {
  /// What went wrong.
  public enum Kind: Sendable, Equatable {
    /// A configuration value is unusable (names the option).
    case badOption(name: String, reason: String)
    /// A checkpoint file is missing, truncated or of another format.
    case badCheckpoint(path: String, reason: String)
    /// A checkpoint does not fit the model or run it is loaded into.
    case mismatch(path: String, reason: String)
    /// The output directory cannot be used.
    case badRunDirectory(path: String, reason: String)
    /// Another trainer holds the run's lock.
    case locked(path: String)
    /// The loss or gradient became NaN or infinite.
    case nonFinite(step: Int, what: String)
    /// A file could not be written.
    case writeFailed(path: String, reason: String)
    /// An environment variable is unusable (names the variable).
    case badEnvironment(name: String, reason: String)
  }

  /// What went wrong, with its origin.
  public let kind: Kind
  /// Optional advice for the user.
  public let hint: String?

  /// Creates an error of `kind` with an optional `hint`.
  public init(_ kind: Kind, hint: String? = nil) {
    self.kind = kind
    self.hint = hint
  }

  /// A failed write reported by RunLog, named once by the file it was
  /// writing (`path` when RunLog's error names no file of its own).
  init(writeFailure error: RunLogError, path: String) {
    if case .writeFailed(let file, let reason) = error.kind {
      // The file RunLog names may be the temporary beside `path`: name the target.
      self.init(.writeFailed(path: file.hasPrefix(path + ".tmp.") ? path : file, reason: reason))
    } else {
      self.init(.writeFailed(path: path, reason: error.description))
    }
  }

  /// One line (plus a hint line when there is one).
  public var description: String {
    let text: String
    switch kind {
    case .badOption(let name, let reason): text = "--\(name): \(reason)"
    case .badCheckpoint(let path, let reason): text = "\(path): bad checkpoint: \(reason)"
    case .mismatch(let path, let reason): text = "\(path): \(reason)"
    case .badRunDirectory(let path, let reason): text = "\(path): \(reason)"
    case .locked(let path): text = "\(path): another trainer is using this run directory"
    case .nonFinite(let step, let what): text = "step \(step): \(what) is not finite"
    case .writeFailed(let path, let reason): text = "\(path): write failed: \(reason)"
    case .badEnvironment(let name, let reason): text = "\(name): \(reason)"
    }
    if let hint { return text + "\n  hint: " + hint }
    return text
  }
}

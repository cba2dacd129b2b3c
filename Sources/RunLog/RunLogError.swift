/// Everything that can go wrong reading or writing a run directory.
///
/// Each error names where the data came from (path, line or byte offset) so a
/// user can open the file and look; `description` is one line plus an optional
/// hint, suitable for printing straight to a terminal.
public struct RunLogError: Error, CustomStringConvertible, Sendable, Equatable {
  /// What went wrong.
  public enum Kind: Sendable, Equatable {
    /// The path does not exist.
    case missing(path: String)
    /// The path exists but is not what was expected (a directory for a file, ...).
    case notARun(path: String, reason: String)
    /// A record or document could not be parsed.
    case badRecord(path: String, line: Int, reason: String)
    /// The manifest is unreadable or invalid.
    case badManifest(path: String, reason: String)
    /// A write failed (disk full, permissions, ...).
    case writeFailed(path: String, reason: String)
    /// Another process holds the run's lock.
    case locked(path: String, reason: String)
    /// A name would leave its directory or is not usable as a file name.
    case badName(name: String, reason: String)
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

  /// One line (plus a hint line when there is one).
  public var description: String {
    let text: String
    switch kind {
    case .missing(let path): text = "\(path): no such file or directory"
    case .notARun(let path, let reason): text = "\(path): not a run: \(reason)"
    case .badRecord(let path, let line, let reason): text = "\(path):\(line): \(reason)"
    case .badManifest(let path, let reason): text = "\(path): bad manifest: \(reason)"
    case .writeFailed(let path, let reason): text = "\(path): write failed: \(reason)"
    case .locked(let path, let reason): text = "\(path): locked: \(reason)"
    case .badName(let name, let reason): text = "bad name \(name.debugDescription): \(reason)"
    }
    if let hint { return text + "\n  hint: " + hint }
    return text
  }
}

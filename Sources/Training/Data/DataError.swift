/// Everything that can go wrong loading or naming a dataset.
///
/// Each error names where the data came from (file, line, field) so a user can
/// open the file and look; `description` is one line plus an optional hint.
public struct DataError: Error, CustomStringConvertible, Sendable, Equatable {
  /// What went wrong.
  public enum Kind: Sendable, Equatable {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The file holds no rows.
    case empty(path: String)
    /// A line is not valid UTF-8.
    case invalidUTF8(path: String, line: Int)
    /// A line is not JSON, or not a JSON object.
    case badRow(path: String, line: Int, reason: String)
    /// A required field is absent.
    case missingField(path: String, line: Int, field: String)
    /// A field has the wrong JSON type or an unusable value.
    case badField(path: String, line: Int, field: String, reason: String)
    /// A dataset name that is neither built in nor an existing file.
    case unknownDataset(name: String)
    /// A supervised dataset was given where preference pairs are needed.
    case notPreference(name: String)
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

  /// The 1-based line the error is on, when it is about one line.
  public var line: Int? {
    switch kind {
    case .invalidUTF8(_, let line), .badRow(_, let line, _), .missingField(_, let line, _),
      .badField(_, let line, _, _):
      return line
    default: return nil
    }
  }

  /// One line (plus a hint line when there is one).
  public var description: String {
    let text: String
    switch kind {
    case .unreadable(let path, let reason): text = "\(path): cannot read: \(reason)"
    case .empty(let path): text = "\(path): no rows (empty file)"
    case .invalidUTF8(let path, let line): text = "\(path):\(line): not valid UTF-8"
    case .badRow(let path, let line, let reason): text = "\(path):\(line): \(reason)"
    case .missingField(let path, let line, let field):
      text = "\(path):\(line): missing field \"\(field)\""
    case .badField(let path, let line, let field, let reason):
      text = "\(path):\(line): field \"\(field)\": \(reason)"
    case .unknownDataset(let name):
      text = "unknown dataset \(name.debugDescription): not built in and no such file"
    case .notPreference(let name):
      text = "dataset \(name.debugDescription) has no preference pairs"
    }
    if let hint { return text + "\n  hint: " + hint }
    return text
  }
}

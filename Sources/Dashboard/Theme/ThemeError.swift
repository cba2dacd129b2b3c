/// A problem in a theme file, naming the file, the line and the key.
public struct ThemeError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file (or the name the text came from).
  public var path: String
  /// 1-based line number.
  public var line: Int
  /// The key in `theme[key]`, when the line got that far.
  public var key: String?
  /// What is wrong, for a person.
  public var reason: String

  /// An error at `path:line` about `key`.
  public init(path: String, line: Int, key: String?, reason: String) {
    self.path = path
    self.line = line
    self.key = key
    self.reason = reason
  }

  /// `path:line: theme[key]: reason`.
  public var description: String {
    let where_ = key.map { " theme[\($0)]:" } ?? ""
    return "\(path):\(line):\(where_) \(reason)"
  }
}

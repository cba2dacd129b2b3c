import Processes

/// Everything that can go wrong planning, launching or controlling a sweep.
///
/// `field` names the option or form field at fault, so the command line and
/// the dashboard's form can point at it.
public struct SweepError: Error, CustomStringConvertible, Sendable, Equatable {
  /// The option or form field at fault (`betas`, `out`, ...), if any.
  public var field: String?
  /// What is wrong, in words.
  public var message: String
  /// Optional advice.
  public var hint: String?

  /// An error about `field`.
  public init(field: String? = nil, _ message: String, hint: String? = nil) {
    self.field = field
    self.message = message
    self.hint = hint
  }

  /// A program that could not start, or typed arguments that could not be split.
  public init(_ error: ProcessError) {
    self.init(field: error.field, error.message)
  }

  /// `field: message` plus a hint line.
  public var description: String {
    var text = field.map { "\($0): \(message)" } ?? message
    if let hint { text += "\n  hint: \(hint)" }
    return text
  }
}

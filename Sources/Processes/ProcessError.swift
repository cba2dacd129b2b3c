/// Why a program could not be started, or typed arguments could not be
/// split. Callers wrap it in their own errors (`SweepError`, `RemoteError`).
public struct ProcessError: Error, CustomStringConvertible, Sendable, Equatable {
  /// The option or form field the text came from (`ArgvText`), if any.
  public var field: String?
  /// What is wrong, in words.
  public var message: String

  public init(field: String? = nil, _ message: String) {
    self.field = field
    self.message = message
  }

  /// `field: message`.
  public var description: String { field.map { "\($0): \(message)" } ?? message }
}

import Foundation

/// Why the far side could not be read, in words a user can act on.
public struct RemoteError: Error, Sendable, CustomStringConvertible {
  public enum Kind: Sendable, Equatable {
    /// The host could not be reached (name, route, refused, timed out).
    case unreachable
    /// ssh reached the host but was not let in (keys, agent, host key).
    case authentication
    /// The path does not exist on the far side.
    case missing
    /// The path exists but cannot be read there.
    case permission
    /// The connection dropped or stopped answering.
    case disconnected
    /// The far side answered something dpotop does not understand.
    case protocolError
    /// A mistake on the command line (`--ssh`, several remote paths).
    case usage
    /// ssh itself could not be started.
    case launch
  }

  public let kind: Kind
  public let message: String

  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  public var description: String { message }

  /// What ssh's exit before the session started means, from what it printed.
  static func fromSSH(host: String, stderr: String) -> RemoteError {
    let lines = stderr.split(separator: "\n").map {
      $0.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    .filter { !$0.isEmpty && !$0.hasPrefix("Warning: Permanently added") }
    let said = lines.last ?? "ssh exited without saying why"
    let lower = stderr.lowercased()
    let authWords = [
      "permission denied", "too many authentication failures", "host key verification failed",
      "no more authentication methods", "authentication failed",
    ]
    if authWords.contains(where: lower.contains) {
      return RemoteError(.authentication, "authentication to \(host) refused: \(said)")
    }
    let netWords = [
      "could not resolve", "connection refused", "timed out", "no route to host",
      "network is unreachable", "connection closed", "connection reset", "kex_exchange",
      "name or service not known",
    ]
    if netWords.contains(where: lower.contains) {
      return RemoteError(.unreachable, "cannot reach \(host): \(said)")
    }
    return RemoteError(.unreachable, "cannot open a session on \(host): \(said)")
  }
}

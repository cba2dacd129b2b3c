import Foundation

/// `[user@]host:PATH` as typed on the command line (scp's and rsync's form).
public struct RemoteTarget: Sendable, Equatable, CustomStringConvertible {
  /// What ssh is given as its destination: `host` or `user@host`.
  public var host: String
  /// The path on the far side as typed; empty means the login directory.
  public var path: String

  public init(host: String, path: String) {
    self.host = host
    self.path = path
  }

  /// The target `arg` names, or nil when it is a local path.
  ///
  /// As with scp: a colon before the first slash makes it remote
  /// (`gpu1:runs`, `me@gpu1:/data/runs`, `[::1]:runs`); an existing local
  /// path is always local, and `./a:b` is the way to name a local `a:b`.
  public static func parse(_ arg: String) -> RemoteTarget? {
    if FileManager.default.fileExists(atPath: arg) { return nil }
    var host: Substring
    var rest: Substring
    if arg.hasPrefix("[") {
      guard let close = arg.firstIndex(of: "]") else { return nil }
      let after = arg.index(after: close)
      guard after < arg.endIndex, arg[after] == ":" else { return nil }
      host = arg[arg.index(after: arg.startIndex)..<close]
      rest = arg[arg.index(after: after)...]
    } else {
      guard let colon = arg.firstIndex(of: ":") else { return nil }
      host = arg[..<colon]
      if host.contains("/") { return nil }
      rest = arg[arg.index(after: colon)...]
    }
    // user@[::1]:path keeps the user part; a host must not look like an option.
    guard !host.isEmpty, !host.hasPrefix("-"), !host.contains(where: \.isWhitespace) else {
      return nil
    }
    return RemoteTarget(host: String(host), path: String(rest))
  }

  /// The path as the far side's shell is given it: the login directory for
  /// an empty path, and `./-x` for a path that would read as an option.
  public var shellPath: String {
    if path.isEmpty { return "." }
    if path.hasPrefix("-") { return "./" + path }
    return path
  }

  /// The name the local copy's root takes (the last path component, else the host).
  public var rootName: String {
    let trimmed = path.split(separator: "/").last.map(String.init) ?? ""
    if trimmed.isEmpty || trimmed == "." || trimmed == ".." || trimmed == "~" {
      return host.split(separator: "@").last.map(String.init) ?? host
    }
    return trimmed
  }

  public var description: String { "\(host):\(path)" }
}

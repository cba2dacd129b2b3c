import Foundation
import Processes

/// The program that reaches the far side: the user's own `ssh` (their
/// config, keys, agent, ProxyJump), or whatever `--ssh CMD` / `DPOTOP_SSH`
/// says (split like a shell would, never run through one), as rsync's `-e`.
public struct SSHCommand: Sendable, Equatable {
  /// The program and its own options, before the destination.
  public var argv: [String]

  public init(argv: [String]) {
    self.argv = argv
  }

  /// `--ssh` when given, else `$DPOTOP_SSH`, else plain `ssh`.
  public static func resolve(option: String?, environment: [String: String]) throws(RemoteError)
    -> SSHCommand
  {
    let text = option ?? environment["DPOTOP_SSH"].flatMap { $0.isEmpty ? nil : $0 } ?? "ssh"
    let origin = option != nil ? "--ssh" : "DPOTOP_SSH"
    let argv: [String]
    do {
      argv = try ArgvText.split(text, field: origin)
    } catch {
      throw RemoteError(.usage, "\(origin): \(error.message)")
    }
    guard !argv.isEmpty else { throw RemoteError(.usage, "\(origin) is empty") }
    return SSHCommand(argv: argv)
  }

  /// True when the program is OpenSSH's client, which takes the `-o`
  /// options dpotop adds; any other program is run exactly as given.
  public var isOpenSSH: Bool {
    (argv[0] as NSString).lastPathComponent == "ssh"
  }

  /// The argv of one session to `host` running the far side's `sh`.
  ///
  /// `batch`: no prompts at all (every connection after the first, made
  /// while the dashboard owns the terminal). Keep-alives make a dead link
  /// show in about 15 s even when no packet says so.
  public func session(host: String, batch: Bool) -> [String] {
    var out = argv
    if isOpenSSH {
      out += ["-T", "-o", "ServerAliveInterval=5", "-o", "ServerAliveCountMax=3"]
      out += ["-o", "ConnectTimeout=15"]
      if batch { out += ["-o", "BatchMode=yes"] }
    }
    return out + [host, "exec /bin/sh"]
  }
}

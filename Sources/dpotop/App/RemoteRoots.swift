import Foundation
import Remote

/// `[user@]host:PATH` arguments: each becomes a local copy (`RemoteMirror`)
/// that the dashboard, `render` and `summary` read as a local path, kept up
/// to date by a `RemoteSync` over the user's ssh.
enum RemoteRoots {
  /// What every command with remote paths says about cancel, resume and new sweeps.
  static let readOnlyMessage =
    "remote view is read-only: cancel, resume and new sweeps run on the machine the runs are on"

  /// Connects to `target` and checks its path, before any screen (ssh may
  /// ask for a passphrase here); exits with a clear message on failure.
  static func open(_ target: RemoteTarget, sshOption: String?) -> RemoteSync {
    do throws(RemoteError) {
      let ssh = try SSHCommand.resolve(
        option: sshOption, environment: ProcessInfo.processInfo.environment)
      let mirror = try RemoteMirror(target: target)
      remember(mirror.directory)
      let sync = RemoteSync(mirror: mirror, ssh: ssh)
      try sync.connect(interactive: true)
      return sync
    } catch {
      fail(error.message, hint: hint(error.kind))
    }
  }

  /// `paths` with each remote one copied whole (once) and replaced by its
  /// local copy, for the commands that read runs once (`render`, `summary`).
  static func localPaths(_ paths: [String], sshOption: String?) -> [String] {
    paths.map { path in
      guard let target = RemoteTarget.parse(path) else { return path }
      let sync = open(target, sshOption: sshOption)
      do throws(RemoteError) {
        try sync.syncAll()
      } catch {
        fail("\(target): \(error.message)", hint: hint(error.kind))
      }
      sync.stop()
      lock.withLock { aliases.append((sync.mirror.localRoot, target.description)) }
      return sync.mirror.localRoot
    }
  }

  /// `text` with each local copy's path written as the `host:PATH` it copies
  /// (`summary` names runs where they are, not where they were copied to).
  static func remoteNames(_ text: String) -> String {
    lock.withLock { aliases }.reduce(text) {
      $0.replacingOccurrences(of: $1.local, with: $1.remote)
    }
  }

  nonisolated(unsafe) private static var aliases: [(local: String, remote: String)] = []

  /// What to try for each kind of failure.
  static func hint(_ kind: RemoteError.Kind) -> String? {
    switch kind {
    case .unreachable: return "check the host name and that 'ssh HOST true' works"
    case .authentication:
      return
        "dpotop uses your ssh (keys, agent, ~/.ssh/config); --ssh CMD or DPOTOP_SSH picks another"
    case .missing: return "the path is on the remote machine, relative to your login directory"
    case .permission: return "the remote user must be able to read it"
    default: return nil
    }
  }

  /// The status line's words for a link that is down.
  static func describe(_ status: RemoteSync.Status, host: String) -> String? {
    guard case .disconnected(let lastData, let retryIn, let reason) = status else { return nil }
    let s = ((Int(lastData) % 86_400) + 86_400) % 86_400
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    let clock = "\(two(s / 3600)):\(two(s / 60 % 60)):\(two(s % 60)) UTC"
    // ssh's own words end the reason ("...port 22: Connection refused"): the status line keeps those.
    let said = reason.components(separatedBy: ": ").last ?? reason
    return "\(host) disconnected, retrying in \(Int(retryIn.rounded())) s"
      + " (last data \(clock)): \(said)"
  }

  // MARK: - Removing the local copies at exit (also after `fail`)

  nonisolated(unsafe) private static var directories: [String] = []
  private static let lock = NSLock()
  nonisolated(unsafe) private static var registered = false

  private static func remember(_ dir: String) {
    lock.withLock {
      directories.append(dir)
      if !registered {
        registered = true
        atexit { RemoteRoots.removeAll() }
      }
    }
  }

  /// Deletes every local copy made by this process.
  static func removeAll() {
    let dirs = lock.withLock {
      defer { directories = [] }
      return directories
    }
    for d in dirs { try? FileManager.default.removeItem(atPath: d) }
  }
}

import Foundation
import RunLog

/// Keeps a `RemoteMirror` up to date: connects (the first time in the
/// foreground, where ssh may ask for a passphrase; later only in batch
/// mode), lists the far side every `listInterval`, copies appended bytes
/// every `interval`, and reconnects with backoff when the link drops,
/// resuming from the mirror's offsets.
public final class RemoteSync: @unchecked Sendable {
  // @unchecked: `session` and `mirror` are used by one thread at a time
  // (the caller until `start`, then the sync thread); `stopped` under `lock`.

  /// How the link is, for the status line.
  public enum Status: Sendable, Equatable {
    case connected
    /// Lost: `lastData` is when the far side last answered (Unix seconds),
    /// `retryIn` seconds until the next attempt, `reason` what went wrong.
    case disconnected(lastData: Double, retryIn: Double, reason: String)
  }

  public let mirror: RemoteMirror
  public let ssh: SSHCommand
  /// Seconds between copy rounds, and between listings.
  public var interval = 0.2
  public var listInterval = 2.0
  /// Use the fallback without GNU find on the far side (tests).
  public var posixOnly = false
  /// Seconds a reply may take before the link counts as dead.
  public var replyTimeout = 20.0

  private var session: ShellSession?
  private let lock = NSLock()
  private var stopped = false
  private var thread: Thread?
  private let finished = DispatchSemaphore(value: 0)
  /// When the far side last answered (Unix seconds).
  public private(set) var lastData = 0.0

  public init(mirror: RemoteMirror, ssh: SSHCommand) {
    self.mirror = mirror
    self.ssh = ssh
    posixOnly = ProcessInfo.processInfo.environment["DPOTOP_REMOTE_POSIX"] == "1"
  }

  /// Connects and checks the remote path: the clear errors (unreachable,
  /// authentication refused, path missing, permission denied) come from
  /// here, before any screen. `interactive`: ssh may prompt on the terminal.
  public func connect(interactive: Bool) throws(RemoteError) {
    let s = try ShellSession.open(
      ssh: ssh, host: mirror.target.host, batch: !interactive, posixOnly: posixOnly,
      readyTimeout: interactive ? 300 : replyTimeout)
    s.replyTimeout = replyTimeout
    do throws(RemoteError) {
      let marker = ShellSession.newMarker()
      try s.write(
        Array("M='\(marker)'; C ".utf8) + FarSideScript.quote(mirror.rootBytes) + [0x0A])
      let answer = String(decoding: try s.readUntil(Array("\n\(marker)\n".utf8)), as: UTF8.self)
      let where_ = "\(mirror.target.host):\(mirror.target.shellPath)"
      switch answer {
      case "dir": mirror.rootIsDirectory = true
      case "file": mirror.rootIsDirectory = false
      case "missing": throw RemoteError(.missing, "no such file or directory: \(where_)")
      case "denied": throw RemoteError(.permission, "permission denied: \(where_)")
      default: throw RemoteError(.protocolError, "unexpected answer from \(mirror.target.host)")
      }
    } catch {
      s.close()
      throw error
    }
    session = s
    lastData = Date().timeIntervalSince1970
  }

  /// Lists and copies until nothing is left to copy (`render`, `summary`).
  public func syncAll() throws(RemoteError) {
    guard let session else { throw RemoteError(.disconnected, "not connected") }
    try mirror.list(session)
    // Until nothing is left, or 50 rounds in a row copied nothing (a file
    // rewritten faster than it can be read): a snapshot must end.
    var idle = 0
    while idle < 50 {
      let before = mirror.copiedBytes
      guard try mirror.copyRound(session) else { break }
      idle = mirror.copiedBytes == before ? idle + 1 : 0
    }
    lastData = Date().timeIntervalSince1970
  }

  /// Keeps the mirror up to date on its own thread, telling `status` when the link drops or comes back.
  public func start(status: @escaping @Sendable (Status) -> Void) {
    guard thread == nil else { return }
    let finished = self.finished
    let t = Thread { [weak self] in
      self?.loop(status)
      finished.signal()
    }
    t.name = "dpotop.remote-sync"
    thread = t
    t.start()
  }

  /// Stops the thread (waits up to 3 s) and closes the connection.
  public func stop() {
    let was = lock.withLock {
      let w = !stopped
      stopped = true
      return w
    }
    guard was else { return }
    // The session is the thread's until it has finished (a read may be
    // under way): if it has not within 3 s, ssh ends with us instead.
    if thread != nil, finished.wait(timeout: .now() + 3) == .timedOut { return }
    session?.close()
    session = nil
  }

  private var isStopped: Bool { lock.withLock { stopped } }

  /// Seconds before reconnect attempt `n` (1, 2, 4, ... up to 30).
  static func backoff(_ n: Int) -> Double { min(30, pow(2, Double(max(0, n - 1)))) }

  private func loop(_ status: @Sendable (Status) -> Void) {
    var nextList = 0.0
    var failures = 0
    while !isStopped {
      if session == nil {
        do {
          try connect(interactive: false)
          failures = 0
          nextList = 0
          status(.connected)
        } catch {
          failures += 1
          let wait = Self.backoff(failures)
          status(.disconnected(lastData: lastData, retryIn: wait, reason: error.message))
          sleep(seconds: wait)
          continue
        }
      }
      guard let s = session else { continue }
      var more = false
      do {
        let now = monotonicSeconds()
        if now >= nextList {
          try mirror.list(s)
          nextList = now + listInterval
        }
        more = try mirror.copyRound(s)
        lastData = Date().timeIntervalSince1970
      } catch {
        s.close()
        session = nil
        failures = 1
        status(.disconnected(lastData: lastData, retryIn: Self.backoff(1), reason: error.message))
        sleep(seconds: Self.backoff(1))
        continue
      }
      if !more { sleep(seconds: interval) }
    }
  }

  /// Sleeps up to `seconds`, waking early when stopped.
  private func sleep(seconds: Double) {
    let until = monotonicSeconds() + seconds
    while !isStopped, monotonicSeconds() < until {
      usleep(UInt32(min(0.05, max(0, until - monotonicSeconds())) * 1e6))
    }
  }
}

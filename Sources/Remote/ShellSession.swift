import Foundation
import Processes
import RunLog

/// One ssh connection running `sh` on the far side, spoken to through its
/// stdin and stdout: requests are shell commands calling `FarSideScript`'s
/// functions, replies end with the request's marker.
///
/// One long-lived session rather than ssh's ControlMaster: one TCP
/// connection and one authentication, no control socket to create or clean
/// up, and a poll costs one round trip instead of a new channel and two
/// processes here. Confined to one thread (the sync thread).
final class ShellSession {
  private let child: ProcessLauncher.PipedChild
  private var buffer: [UInt8] = []
  private var start = 0
  private var stderrTail: [UInt8] = []
  private var closed = false
  /// Seconds a reply may take before the link is declared dead.
  var replyTimeout = 20.0
  /// Bytes received since the session started (the dashboard's "last data").
  private(set) var received = 0

  private init(child: ProcessLauncher.PipedChild) {
    self.child = child
    _ = fcntl(child.stdout, F_SETFL, fcntl(child.stdout, F_GETFL) | O_NONBLOCK)
    _ = fcntl(child.stderr, F_SETFL, fcntl(child.stderr, F_GETFL) | O_NONBLOCK)
  }

  deinit { close() }

  /// Opens a session: starts ssh, defines the far side's functions and
  /// waits for its greeting (anything a login script prints before it is
  /// skipped). `readyTimeout` covers typing a passphrase on the first one.
  static func open(
    ssh: SSHCommand, host: String, batch: Bool, posixOnly: Bool, readyTimeout: Double
  ) throws(RemoteError) -> ShellSession {
    // A write to an ssh that has exited must be an EPIPE error here, not a
    // signal that kills the dashboard (children get the default back).
    signal(SIGPIPE, SIG_IGN)
    let child: ProcessLauncher.PipedChild
    do {
      child = try ProcessLauncher.spawnPiped(ssh.session(host: host, batch: batch))
    } catch {
      throw RemoteError(.launch, "cannot run \(ssh.argv[0]): \(error.message)")
    }
    let session = ShellSession(child: child)
    let marker = Self.newMarker()
    var hello = Array(FarSideScript.preamble(posixOnly: posixOnly).utf8)
    hello += Array("printf '%s\\n' '\(marker)'\n".utf8)
    do {
      try session.write(hello)
      _ = try session.readUntil(Array("\(marker)\n".utf8), timeout: readyTimeout)
    } catch {
      if error.kind == .disconnected {
        // ssh says why on stderr once it has exited: give it a moment.
        // (WNOWAIT: it is reaped by `close`, so its pid cannot be reused before the kill there.)
        var info = siginfo_t()
        let until = monotonicSeconds() + 2
        while monotonicSeconds() < until {
          info = siginfo_t()
          if waitid(P_PID, id_t(child.pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0 { break }
          if info.si_signo != 0 { break }
          usleep(10000)
        }
        let said = session.stderrText
        session.close()
        throw RemoteError.fromSSH(host: host, stderr: said)
      }
      session.close()
      throw error
    }
    return session
  }

  /// What ssh printed on stderr lately (its error messages).
  var stderrText: String {
    drainStderr()
    return String(decoding: stderrTail, as: UTF8.self)
  }

  /// A fresh random marker: a file's bytes cannot end a reply by accident.
  static func newMarker() -> String {
    var g = SystemRandomNumberGenerator()
    return "dpotop-"
      + (0..<4).map { _ in String(g.next() as UInt32, radix: 16) }.joined(separator: "-")
  }

  /// Sends `bytes` (whole commands) to the far side's shell.
  func write(_ bytes: [UInt8]) throws(RemoteError) {
    var sent = 0
    while sent < bytes.count {
      let n = bytes[sent...].withUnsafeBytes {
        Foundation.write(child.stdin, $0.baseAddress, $0.count)
      }
      if n < 0 {
        if errno == EINTR { continue }
        throw RemoteError(
          .disconnected, "connection lost (write: \(String(cString: strerror(errno))))")
      }
      sent += n
    }
  }

  /// Reads up to and including `terminator`; returns what came before it.
  func readUntil(_ terminator: [UInt8], timeout: Double? = nil) throws(RemoteError) -> [UInt8] {
    let deadline = monotonicSeconds() + (timeout ?? replyTimeout)
    var searched = start
    while true {
      if let at = find(terminator, from: searched) {
        let out = Array(buffer[start..<at])
        consume(to: at + terminator.count)
        return out
      }
      searched = max(start, buffer.count - terminator.count + 1)
      try fill(deadline: deadline)
    }
  }

  /// Reads `count` bytes exactly, or nil (having consumed through the
  /// terminator) when the terminator came first: the file shrank under `tail`.
  func readExactly(_ count: Int, then terminator: [UInt8]) throws(RemoteError) -> [UInt8]? {
    let deadline = monotonicSeconds() + replyTimeout
    var searched = start
    while true {
      if buffer.count - start >= count + terminator.count {
        let end = start + count
        if buffer[end..<end + terminator.count].elementsEqual(terminator) {
          let out = Array(buffer[start..<end])
          consume(to: end + terminator.count)
          return out
        }
      }
      if let at = find(terminator, from: searched) {
        if at - start != count {
          consume(to: at + terminator.count)
          return nil
        }
        continue
      }
      if buffer.count - start >= count + terminator.count {
        throw RemoteError(.protocolError, "the far side sent more than asked for")
      }
      searched = max(start, buffer.count - terminator.count + 1)
      try fill(deadline: deadline)
    }
  }

  private func find(_ needle: [UInt8], from: Int) -> Int? {
    let n = needle.count
    guard buffer.count - from >= n else { return nil }
    // memchr for the first byte, memcmp for the rest (memmem is not imported).
    return buffer.withUnsafeBytes { raw -> Int? in
      needle.withUnsafeBytes { nd -> Int? in
        guard let base = raw.baseAddress, let first = nd.first else { return nil }
        var at = from
        while raw.count - at >= n {
          guard let hit = memchr(base + at, Int32(first), raw.count - at - n + 1) else {
            return nil
          }
          let i = base.distance(to: UnsafeRawPointer(hit))
          if memcmp(base + i, nd.baseAddress!, n) == 0 { return i }
          at = i + 1
        }
        return nil
      }
    }
  }

  private func consume(to index: Int) {
    start = index
    if start > 1 << 20 || start == buffer.count {
      buffer.removeSubrange(0..<start)
      start = 0
    }
  }

  /// Waits for more of stdout (draining stderr meanwhile) until `deadline`.
  private func fill(deadline: Double) throws(RemoteError) {
    while true {
      let left = deadline - monotonicSeconds()
      if left <= 0 {
        throw RemoteError(.disconnected, "no answer for \(Int(replyTimeout)) s")
      }
      var fds = [
        pollfd(fd: child.stdout, events: Int16(POLLIN), revents: 0),
        pollfd(fd: child.stderr, events: Int16(POLLIN), revents: 0),
      ]
      let r = poll(&fds, 2, Int32(min(left, 1) * 1000) + 1)
      if r < 0, errno != EINTR {
        throw RemoteError(.disconnected, "connection lost (poll)")
      }
      if fds[1].revents != 0 { drainStderr() }
      if fds[0].revents != 0 {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let n = chunk.withUnsafeMutableBytes { read(child.stdout, $0.baseAddress, $0.count) }
        if n > 0 {
          buffer.append(contentsOf: chunk[0..<n])
          received += n
          return
        }
        if n == 0 || (errno != EAGAIN && errno != EINTR) {
          throw RemoteError(.disconnected, "connection closed")
        }
      }
    }
  }

  private func drainStderr() {
    guard !closed else { return }
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(child.stderr, $0.baseAddress, $0.count) }
      guard n > 0 else { return }
      stderrTail.append(contentsOf: chunk[0..<n])
      if stderrTail.count > 8192 { stderrTail.removeFirst(stderrTail.count - 8192) }
    }
  }

  /// Ends the session: the far side's shell sees end of input and exits;
  /// ssh is asked to stop and reaped.
  func close() {
    guard !closed else { return }
    drainStderr()
    closed = true
    Foundation.close(child.stdin)
    kill(child.pid, SIGTERM)
    var status: Int32 = 0
    let until = monotonicSeconds() + 2
    while waitpid(child.pid, &status, WNOHANG) == 0 {
      if monotonicSeconds() > until {
        kill(child.pid, SIGKILL)
        waitpid(child.pid, &status, 0)
        break
      }
      usleep(5000)
    }
    Foundation.close(child.stdout)
    Foundation.close(child.stderr)
  }
}

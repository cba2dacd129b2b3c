import Glibc

/// A self-pipe: any thread (or a signal handler) writes a byte to wake the
/// main loop out of `poll`. Both ends are non-blocking, so a full pipe just
/// means a wake-up is already pending.
public final class WakePipe: Sendable {
  /// The end the main loop polls.
  public let readFD: Int32
  /// The end producers write to.
  public let writeFD: Int32

  /// A new pipe; fails only when the process is out of file descriptors.
  public init() throws(TerminalError) {
    var fds: [Int32] = [-1, -1]
    guard pipe(&fds) == 0 else {
      throw TerminalError("cannot create a pipe: \(String(cString: strerror(errno)))")
    }
    for fd in fds {
      _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
      _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }
    readFD = fds[0]
    writeFD = fds[1]
  }

  deinit {
    close(readFD)
    close(writeFD)
  }

  /// Wakes the loop (thread-safe; write(2) of one byte is atomic).
  public func wake() {
    var b: UInt8 = 1
    _ = write(writeFD, &b, 1)
  }

  /// Empties the pipe after waking.
  public func drain() {
    var buffer = [UInt8](repeating: 0, count: 256)
    while read(readFD, &buffer, buffer.count) > 0 {}
  }
}

/// A terminal problem, for a person: what failed and, where known, what to do.
public struct TerminalError: Error, Sendable, CustomStringConvertible {
  public var description: String
  /// An error saying `description`.
  public init(_ description: String) { self.description = description }
}

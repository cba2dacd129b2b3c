import Foundation

extension ProcessLauncher {
  /// A child whose stdin, stdout and stderr are pipes to us.
  public struct PipedChild: Sendable {
    public let pid: pid_t
    /// Write end of the child's stdin.
    public let stdin: Int32
    /// Read ends of the child's stdout and stderr (close-on-exec, blocking).
    public let stdout: Int32
    public let stderr: Int32
  }

  /// Spawns `argv` (argv[0] looked up on PATH) with its three standard
  /// streams on pipes, in our session (so a program like ssh can still ask
  /// for a passphrase on the terminal before the dashboard takes it).
  ///
  /// The same signal set-up as `spawn`: defaults restored and unblocked.
  public static func spawnPiped(_ argv: [String]) throws(ProcessError) -> PipedChild {
    guard let exe = argv.first, !exe.isEmpty else { throw ProcessError("nothing to run") }
    var fds: [[Int32]] = []
    for _ in 0..<3 {
      var p: [Int32] = [0, 0]
      // pipe2 is not imported by Glibc's module: pipe, then close-on-exec on both ends.
      let made = pipe(&p) == 0
      if made { p.forEach { _ = fcntl($0, F_SETFD, FD_CLOEXEC) } }
      guard made else {
        for q in fds { q.forEach { close($0) } }
        throw ProcessError("cannot make a pipe: \(String(cString: strerror(errno)))")
      }
      fds.append(p)
    }
    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    restoreSignals(&attr)

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    // dup2 clears close-on-exec on the child's copies only.
    posix_spawn_file_actions_adddup2(&actions, fds[0][0], 0)
    posix_spawn_file_actions_adddup2(&actions, fds[1][1], 1)
    posix_spawn_file_actions_adddup2(&actions, fds[2][1], 2)

    var cargs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
    cargs.append(nil)
    defer { for p in cargs { free(p) } }
    var pid: pid_t = 0
    let rc = posix_spawnp(&pid, exe, &actions, &attr, cargs, environ)
    close(fds[0][0])
    close(fds[1][1])
    close(fds[2][1])
    guard rc == 0 else {
      close(fds[0][1])
      close(fds[1][0])
      close(fds[2][0])
      throw ProcessError("cannot start \(exe): \(String(cString: strerror(rc)))")
    }
    return PipedChild(pid: pid, stdin: fds[0][1], stdout: fds[1][0], stderr: fds[2][0])
  }
}

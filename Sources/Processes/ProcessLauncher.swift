import Foundation

/// Starts processes from argv arrays — never from a shell string, so no
/// user-typed value is ever interpreted by a shell.
public enum ProcessLauncher {
  /// How the child is attached to us.
  public enum Mode: Sendable {
    /// A child of this process, in our session but in a process group of
    /// its own: the hang-up (SIGHUP) or Ctrl-C a terminal sends to its
    /// foreground group reaches the supervisor, which decides for the sweep
    /// as a whole, and never only the trainers that happened to be running.
    case child
    /// A new session (setsid): no controlling terminal, so quitting the
    /// dashboard or losing the SSH connection (SIGHUP) does not reach it.
    case detached
  }

  /// Spawns `argv` (argv[0] is the executable: a path, or a name looked up
  /// on PATH) with stdin from
  /// /dev/null and stdout+stderr appended to `logPath`; returns its pid.
  ///
  /// Signals are reset to their defaults and unblocked in the child, whatever
  /// the parent had blocked.
  public static func spawn(
    _ argv: [String], logPath: String, mode: Mode
  ) throws(ProcessError) -> pid_t {
    guard let exe = argv.first, !exe.isEmpty else { throw ProcessError("nothing to run") }
    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
    switch mode {
    case .child:
      flags |= Int32(POSIX_SPAWN_SETPGROUP)
      posix_spawnattr_setpgroup(&attr, 0)  // a new group, led by the child
    case .detached:
      flags |= 0x80  // POSIX_SPAWN_SETSID (glibc ≥ 2.26)
    }
    posix_spawnattr_setflags(&attr, Int16(flags))
    restoreSignals(&attr)

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)

    var cargs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
    cargs.append(nil)
    defer { for p in cargs { free(p) } }
    var pid: pid_t = 0
    // posix_spawnp: a bare program name (`trl`, `python3`) is looked up on PATH.
    let rc = posix_spawnp(&pid, exe, &actions, &attr, cargs, environ)
    guard rc == 0 else {
      throw ProcessError("cannot start \(exe): \(String(cString: strerror(rc)))")
    }
    return pid
  }

  /// Unblocks every signal in the child and gives back the default action
  /// of those a terminal or the parent may have changed (both spawns need
  /// it; the caller sets POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF).
  static func restoreSignals(_ attr: inout posix_spawnattr_t) {
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attr, &empty)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for s in [SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD, SIGQUIT] { sigaddset(&defaults, s) }
    posix_spawnattr_setsigdefault(&attr, &defaults)
  }

  /// The path of the running dpotop executable (so children run the same build).
  public static var selfExecutable: String {
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      return path
    }
    return CommandLine.arguments[0]
  }
}

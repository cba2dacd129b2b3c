import Foundation

/// An exclusive `flock` held for a process's lifetime: a run's `run.lock` by
/// its trainer (so two trainers never write one run directory), a sweep's
/// `sweep.lock` by its supervisor. The kernel drops it when the process
/// dies, however it dies, so "is the lock held?" is the one reliable liveness
/// test, and a killed run can be resumed. The one lock of the package: the
/// trainer and the sweeps take it through their own `take`, which say why in
/// their own errors.
public final class RunLock {
  /// The lock file.
  public let path: String
  private let fd: Int32

  /// Why the lock could not be taken.
  public enum Failure: Error, Sendable, Equatable {
    /// The file could not be opened (strerror's words).
    case cannotOpen(reason: String)
    /// Another process holds it.
    case held
  }

  /// Takes the lock at `path` without waiting. `recordingPid`: writes this
  /// process's pid into the file, for humans and the dashboard's pid checks.
  public init(acquiring path: String, recordingPid: Bool) throws(Failure) {
    self.path = path
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw .cannotOpen(reason: String(cString: strerror(errno))) }
    guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
      close(fd)
      throw .held
    }
    if recordingPid {
      ftruncate(fd, 0)
      let text = "\(getpid())\n"
      _ = text.withCString { write(fd, $0, strlen($0)) }
    }
  }

  deinit {
    flock(fd, LOCK_UN)
    close(fd)
  }

  /// True when some process holds the lock at `path` (we can't take it).
  public static func isHeld(_ path: String) -> Bool {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    if flock(fd, LOCK_EX | LOCK_NB) == 0 {
      flock(fd, LOCK_UN)
      return false
    }
    return true
  }
}

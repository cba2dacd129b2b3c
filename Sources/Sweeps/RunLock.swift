import Foundation

/// An exclusive `flock` held for a process's lifetime.
///
/// The kernel drops it when the process dies, however it dies, so "is the
/// lock held?" is the one reliable liveness test for a run or a sweep.
public final class RunLock {
  private let fd: Int32

  /// Takes the lock at `path` without waiting, or throws naming the holder.
  public init(path: String) throws(SweepError) {
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw SweepError("cannot open \(path): \(String(cString: strerror(errno)))")
    }
    guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
      close(fd)
      let holder = ProcessProof.lockHolder(of: path).map { " (pid \($0))" } ?? ""
      throw SweepError("\(path) is held by another process\(holder)")
    }
  }

  deinit { close(fd) }

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

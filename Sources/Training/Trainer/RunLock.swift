import Foundation
import RunLog

/// The exclusive `flock` on a run's `run.lock`, held for the trainer's
/// lifetime so two trainers can never write one run directory. The kernel
/// drops it when the process dies, so a killed run can be resumed.
public final class RunLock {
  private let fd: Int32
  /// The lock file.
  public let path: String

  /// Takes the lock or throws `.locked` when another process holds it.
  public init(directory: RunDirectory) throws(TrainingError) {
    path = directory.lockPath
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw TrainingError(.writeFailed(path: path, reason: String(cString: strerror(errno))))
    }
    guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
      close(fd)
      throw TrainingError(.locked(path: directory.path), hint: "is another 'dpotop train' running?")
    }
    // The holder's pid, for humans and for the dashboard's pid checks.
    ftruncate(fd, 0)
    let text = "\(getpid())\n"
    _ = text.withCString { write(fd, $0, strlen($0)) }
  }

  deinit {
    flock(fd, LOCK_UN)
    close(fd)
  }
}

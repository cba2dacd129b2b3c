import Foundation
import RunLog

/// This run's own file in a reference cache directory. Only this process
/// appends to it (so no locks, which NFS does not honour reliably), each
/// call in one write of whole records.
final class ReferenceCacheWriter {
  static let fileExtension = ".refl"

  let path: String
  private let seed: UInt32
  private let warn: (String) -> Void
  private var fd: Int32 = -1
  /// Set after a failed or short write: a torn record may end the file, and
  /// appending after it would shift every later record off the grid.
  private var stopped = false

  init(path: String, seed: UInt32, warn: @escaping (String) -> Void) {
    self.path = path
    self.seed = seed
    self.warn = warn
  }

  deinit {
    if fd >= 0 { close(fd) }
  }

  /// Appends `records` (created on first use, so a run that computed nothing
  /// leaves no file).
  func append(_ records: [ReferenceCacheRecord]) {
    guard !records.isEmpty, !stopped else { return }
    if fd < 0 {
      fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o644)
      guard fd >= 0 else { return stop(String(cString: strerror(errno))) }
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(records.count * ReferenceCacheRecord.size)
    for r in records { bytes += r.encoded(seed: seed) }
    if let failure = bytes.withUnsafeBytes({ writeAll(fd, $0) }) {
      stop(String(cString: strerror(failure)))
    }
  }

  private func stop(_ reason: String) {
    stopped = true
    warn("reference cache: cannot write \(path): \(reason); not sharing further values")
  }
}

import Foundation

/// Appends records to a run's `metrics.jsonl`.
///
/// Each record is one `write(2)` of a complete line on an `O_APPEND`
/// descriptor, with no user-space buffering: once `append` returns, a reader
/// sees either nothing of the record or all of it, never a torn line (short of
/// the process dying inside the system call, which the reader tolerates by
/// waiting for the newline).
public final class MetricsWriter {
  private let fd: Int32
  /// The file being written.
  public let path: String

  /// Opens (creating if needed) `path` for appending.
  public init(path: String) throws(RunLogError) {
    self.path = path
    fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw RunLogError(.writeFailed(path: path, reason: String(cString: strerror(errno))))
    }
  }

  deinit { close(fd) }

  /// Appends one record as one line.
  public func append(_ record: MetricRecord) throws(RunLogError) {
    try appendRaw(MetricLineEncoder.line(record))
  }

  /// Appends text that is already one or more complete lines.
  public func appendRaw(_ text: String) throws(RunLogError) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeMutableBytes { raw in
        write(fd, raw.baseAddress!.advanced(by: offset), raw.count - offset)
      }
      if n < 0 {
        if errno == EINTR { continue }
        throw RunLogError(
          .writeFailed(path: path, reason: String(cString: strerror(errno))),
          hint: errno == ENOSPC ? "the disk is full" : nil)
      }
      offset += n
    }
  }

  /// Forces written records to stable storage (used before a checkpoint).
  public func sync() {
    fsync(fd)
  }
}

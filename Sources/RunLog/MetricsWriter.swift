import Foundation

/// Appends records to a run's `metrics.jsonl`.
///
/// Each record is one `write(2)` of a complete line on an `O_APPEND`
/// descriptor, with no user-space buffering: once `append` returns, a reader
/// sees either nothing of the record or all of it, never a torn line (short of
/// the process dying inside the system call, which the reader tolerates by
/// waiting for the newline).
///
/// A torn line left behind — by a writer killed mid-write, or by a write that
/// failed half-way (disk full) — is closed with a newline before the next
/// record, so it becomes one bad line instead of swallowing that record.
public final class MetricsWriter {
  private let fd: Int32
  /// The file being written.
  public let path: String
  /// True when the file ends inside a line (a torn record).
  private(set) var needsNewline = false
  /// `write(2)`; replaceable so tests can simulate short and failed writes.
  var writeBytes: (Int32, UnsafeRawPointer, Int) -> Int = { Glibc.write($0, $1, $2) }

  /// Opens (creating if needed) `path` for appending.
  public init(path: String) throws(RunLogError) {
    self.path = path
    // Read-write only to look at the last byte (a torn line?); writes append.
    fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw RunLogError(.writeFailed(path: path, reason: String(cString: strerror(errno))))
    }
    var st = stat()
    if fstat(fd, &st) == 0, st.st_size > 0 {
      var last: UInt8 = 0
      if pread(fd, &last, 1, st.st_size - 1) == 1, last != 0x0A { needsNewline = true }
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
    if needsNewline { bytes.insert(0x0A, at: 0) }
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { raw in
        writeBytes(fd, raw.baseAddress!.advanced(by: offset), raw.count - offset)
      }
      if n < 0 {
        let code = errno
        if code == EINTR { continue }
        // Part of a line is in the file: close it before the next record.
        if offset > 0 { needsNewline = bytes[offset - 1] != 0x0A }
        throw RunLogError(
          .writeFailed(path: path, reason: String(cString: strerror(code))),
          hint: code == ENOSPC || code == EFBIG ? "the disk (or file size limit) is full" : nil)
      }
      offset += n
    }
    needsNewline = bytes.last.map { $0 != 0x0A } ?? needsNewline
  }

  /// Forces written records to stable storage (used before a checkpoint).
  public func sync() {
    fsync(fd)
  }
}

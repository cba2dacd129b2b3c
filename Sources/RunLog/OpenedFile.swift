import Foundation

/// A file opened for reading at explicit offsets: the one open / fstat /
/// pread loop of the run-directory readers (`FileTail` for the importers,
/// `TailReader` for metrics logs, `readWholeFile` for everything read whole).
/// Each caller checks what it needs of the file's kind and identity.
struct OpenedFile {
  let path: String
  let fd: Int32
  /// What fstat said when the file was opened.
  let status: stat

  /// Opens `path` read-only (close-on-exec) and fstats it: a missing file is
  /// `.missing`, any other failure `.notARun` in strerror's words. The caller
  /// closes it (`close()`).
  static func open(_ path: String) throws(RunLogError) -> OpenedFile {
    let fd = Foundation.open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
      if errno == ENOENT { throw RunLogError(.missing(path: path)) }
      throw RunLogError(.notARun(path: path, reason: String(cString: strerror(errno))))
    }
    var st = stat()
    guard fstat(fd, &st) == 0 else {
      let reason = String(cString: strerror(errno))
      Foundation.close(fd)
      throw RunLogError(.notARun(path: path, reason: reason))
    }
    return OpenedFile(path: path, fd: fd, status: st)
  }

  func close() { Foundation.close(fd) }

  var size: Int64 { Int64(status.st_size) }
  var identity: (dev: UInt64, ino: UInt64) { (UInt64(status.st_dev), UInt64(status.st_ino)) }
  var isRegular: Bool { (status.st_mode & S_IFMT) == S_IFREG }
  var isDirectory: Bool { (status.st_mode & S_IFMT) == S_IFDIR }

  /// Reads from `start` up to `end` (nil: to the end of the file, whatever
  /// size fstat gave: /proc files say 0) in chunks of at most `chunkSize`
  /// bytes, handing each to `body` as soon as it is read; stops early at the
  /// end of the file. EINTR is retried; a failed read is `.notARun`. A file
  /// that cannot be read at an offset (a pipe) is read in sequence instead.
  func readChunks(
    from start: Int64, to end: Int64?, chunkSize: Int,
    _ body: (UnsafeRawBufferPointer) -> Void
  ) throws(RunLogError) {
    try Self.readChunks(fd, path: path, from: start, to: end, chunkSize: chunkSize, body)
  }

  /// `readChunks` on a descriptor opened elsewhere (`TailReader` keeps its
  /// own across a poll, and hands it to the thread reading the second half).
  static func readChunks(
    _ fd: Int32, path: String, from start: Int64, to end: Int64?, chunkSize: Int,
    _ body: (UnsafeRawBufferPointer) -> Void
  ) throws(RunLogError) {
    var offset = start
    let first = end.map { min(Int64(chunkSize), $0 - start) } ?? Int64(chunkSize)
    guard first > 0 else { return }
    // Not zeroed: only the bytes a read returned are handed on.
    var buffer = [UInt8](unsafeUninitializedCapacity: Int(first)) { _, n in n = Int(first) }
    var positional = true
    while end.map({ offset < $0 }) ?? true {
      let want = Int(min(Int64(buffer.count), end.map { $0 - offset } ?? Int64.max))
      let n = buffer.withUnsafeMutableBytes {
        positional
          ? pread(fd, $0.baseAddress, want, off_t(offset)) : read(fd, $0.baseAddress, want)
      }
      if n < 0 {
        if errno == EINTR { continue }
        if errno == ESPIPE && positional {
          positional = false
          continue
        }
        throw RunLogError(.notARun(path: path, reason: String(cString: strerror(errno))))
      }
      if n == 0 { break }
      offset += Int64(n)
      buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
    }
  }
}

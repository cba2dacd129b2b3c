import Foundation

/// The part of tailing a file that every importer shares: open, notice a
/// replaced or shrunk file, and read only the bytes appended since last time.
/// (Public for the trainer's reference cache, which tails its peers' files.)
public struct FileTail {
  public let path: String
  /// Bytes read so far.
  public private(set) var offset: Int64 = 0
  private var identity: (dev: UInt64, ino: UInt64)?
  var chunkSize = 4 << 20

  public init(path: String) {
    self.path = path
  }

  /// Starts over from byte 0 (next `read` reads the whole file).
  public mutating func restart() {
    offset = 0
    identity = nil
  }

  /// Reads the new bytes, handing them out in chunks. When the file was
  /// replaced or truncated since the last read, `onReset` runs first (the
  /// caller forgets what it built) and the chunks start again at byte 0.
  public mutating func read(
    onReset: () -> Void, _ chunk: (UnsafeRawBufferPointer) -> Void
  ) throws(RunLogError) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
      if errno == ENOENT { throw RunLogError(.missing(path: path)) }
      throw RunLogError(.notARun(path: path, reason: String(cString: strerror(errno))))
    }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else {
      throw RunLogError(.notARun(path: path, reason: String(cString: strerror(errno))))
    }
    guard (st.st_mode & S_IFMT) == S_IFREG else {
      throw RunLogError(.notARun(path: path, reason: "not a regular file"))
    }
    let id = (UInt64(st.st_dev), UInt64(st.st_ino))
    if let known = identity, known != id || Int64(st.st_size) < offset {
      offset = 0
      onReset()
    }
    identity = id
    let size = Int64(st.st_size)
    guard size > offset else { return }
    var buffer = [UInt8](repeating: 0, count: Int(min(Int64(chunkSize), size - offset)))
    while offset < size {
      let want = Int(min(Int64(buffer.count), size - offset))
      let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, want, off_t(offset)) }
      if n < 0 {
        if errno == EINTR { continue }
        throw RunLogError(.notARun(path: path, reason: String(cString: strerror(errno))))
      }
      if n == 0 { break }
      offset += Int64(n)
      buffer.withUnsafeBytes { chunk(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
    }
  }
}

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
    let file = try OpenedFile.open(path)
    defer { file.close() }
    guard file.isRegular else {
      throw RunLogError(.notARun(path: path, reason: "not a regular file"))
    }
    let id = file.identity
    if let known = identity, known != id || file.size < offset {
      offset = 0
      onReset()
    }
    identity = id
    let size = file.size
    guard size > offset else { return }
    try file.readChunks(from: offset, to: size, chunkSize: chunkSize) { bytes in
      offset += Int64(bytes.count)
      chunk(bytes)
    }
  }
}

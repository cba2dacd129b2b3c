import Foundation

/// What run discovery needs to know about a tree of files: what a path is,
/// what a directory holds, and the first bytes of a file.
///
/// Discovery (`RunDiscovery.find(under:in:)`) and every `RunFormat`'s
/// recognizer ask only this, so the same recognition works on any tree: the
/// local file system (`LocalTree`), or a listing of a remote host's files (a
/// tree built from one `find` over ssh, with heads fetched on demand).
public protocol FileTree {
  /// What `path` is (symbolic links followed), or nil when it does not exist.
  func entry(_ path: String) -> FileEntry?
  /// The names in directory `path` (hidden ones included), or nil when it cannot be listed.
  func list(_ path: String) -> [String]?
  /// Up to `count` bytes from the start of file `path`, or nil when it cannot be read.
  func head(_ path: String, count: Int) -> [UInt8]?
}

/// One file or directory of a `FileTree`.
public struct FileEntry: Sendable, Equatable {
  /// A directory (else a regular file; other kinds are not entries).
  public var isDirectory: Bool
  /// Bytes (files).
  public var size: Int64
  /// Modification time, seconds and nanoseconds since the epoch.
  public var mtime: (sec: Int, nsec: Int)
  /// Device and inode, when the tree has them: a directory reached twice
  /// (through a symbolic link) is walked once.
  public var identity: [UInt64]?

  public init(isDirectory: Bool, size: Int64, mtime: (sec: Int, nsec: Int), identity: [UInt64]?) {
    self.isDirectory = isDirectory
    self.size = size
    self.mtime = mtime
    self.identity = identity
  }

  public static func == (a: FileEntry, b: FileEntry) -> Bool {
    a.isDirectory == b.isDirectory && a.size == b.size && a.mtime == b.mtime
      && a.identity == b.identity
  }
}

extension FileTree {
  /// True when `path` is a directory.
  func isDirectory(_ path: String) -> Bool { entry(path)?.isDirectory == true }
  /// True when `path` is a regular file.
  func isFile(_ path: String) -> Bool { entry(path).map { !$0.isDirectory } ?? false }
}

/// The local file system.
public struct LocalTree: FileTree {
  public init() {}

  public func entry(_ path: String) -> FileEntry? {
    var st = stat()
    guard stat(path, &st) == 0 else { return nil }
    let kind = st.st_mode & S_IFMT
    guard kind == S_IFDIR || kind == S_IFREG else { return nil }
    return FileEntry(
      isDirectory: kind == S_IFDIR, size: Int64(st.st_size),
      mtime: (Int(st.st_mtim.tv_sec), Int(st.st_mtim.tv_nsec)),
      identity: [UInt64(st.st_dev), UInt64(st.st_ino)])
  }

  public func list(_ path: String) -> [String]? {
    try? FileManager.default.contentsOfDirectory(atPath: path)
  }

  public func head(_ path: String, count: Int) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
    var out = [UInt8](repeating: 0, count: max(0, min(count, Int(st.st_size))))
    var got = 0
    while got < out.count {
      let n = out.withUnsafeMutableBytes {
        pread(fd, $0.baseAddress! + got, $0.count - got, off_t(got))
      }
      if n < 0, errno == EINTR { continue }
      if n <= 0 { break }
      got += n
    }
    return Array(out[0..<got])
  }
}

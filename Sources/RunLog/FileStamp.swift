import Foundation

/// Identity of a file's current version (device, inode, size, modification
/// time): a change of any field means "read it again". The one stamp of
/// everything that re-reads files rewritten whole (`run.json`,
/// `trainer_state.json`, importers' configs) and of the dashboard's watcher.
public struct FileStamp: Equatable, Sendable {
  public var dev: UInt64
  public var ino: UInt64
  public var size: Int64
  public var mtimeSec: Int
  public var mtimeNsec: Int

  /// The stamp of `path`, or nil when it is missing or not a regular file.
  public static func of(_ path: String) -> FileStamp? {
    var st = stat()
    guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
    return FileStamp(
      dev: UInt64(st.st_dev), ino: UInt64(st.st_ino), size: Int64(st.st_size),
      mtimeSec: Int(st.st_mtim.tv_sec), mtimeNsec: Int(st.st_mtim.tv_nsec))
  }
}

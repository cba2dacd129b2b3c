import Foundation

/// A fresh temporary directory for one test, removed when the value is dropped.
final class TempDir {
  let path: String

  init() {
    let base = FileManager.default.temporaryDirectory.path
    path = base + "/dpotop-test-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  /// `name` inside this directory.
  func file(_ name: String) -> String { path + "/" + name }

  /// Writes `bytes` to `name` (replacing it).
  @discardableResult
  func write(_ name: String, _ bytes: [UInt8]) -> String {
    FileManager.default.createFile(atPath: file(name), contents: Data(bytes))
    return file(name)
  }

  /// Writes `text` to `name` (replacing it).
  @discardableResult
  func write(_ name: String, _ text: String) -> String {
    write(name, Array(text.utf8))
  }

  /// Appends `text` to `name` without truncating it (same inode).
  func append(_ name: String, _ text: String) {
    append(name, Array(text.utf8))
  }

  /// Appends `bytes` to `name` without truncating it (same inode).
  func append(_ name: String, _ bytes: [UInt8]) {
    let fd = open(file(name), O_WRONLY | O_APPEND | O_CREAT, 0o644)
    precondition(fd >= 0, "cannot open \(file(name))")
    _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    close(fd)
  }

  /// Truncates `name` to `size` bytes in place (same inode).
  func truncate(_ name: String, to size: Int) {
    precondition(Glibc.truncate(file(name), off_t(size)) == 0, "truncate failed")
  }
}

/// The line `{"step":S,"split":...,"loss":V}` plus newline.
func line(_ step: Int, loss: Double, split: String = "train") -> String {
  "{\"step\":\(step),\"split\":\"\(split)\",\"loss\":\(loss)}\n"
}

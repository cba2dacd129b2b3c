import Foundation

/// Reads the last lines of a trainer log without reading the whole file.
public enum LogTail {
  /// At most `lines` complete last lines of `path` (from its final `maxBytes`).
  public static func read(_ path: String, lines: Int = 200, maxBytes: Int = 64 << 10) -> [String] {
    guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
    defer { try? handle.close() }
    guard let size = try? handle.seekToEnd() else { return [] }
    let start = size > UInt64(maxBytes) ? size - UInt64(maxBytes) : 0
    guard (try? handle.seek(toOffset: start)) != nil, let data = try? handle.readToEnd() else {
      return []
    }
    var all = String(decoding: data, as: UTF8.self).split(
      separator: "\n", omittingEmptySubsequences: false
    ).map(String.init)
    if start > 0, !all.isEmpty { all.removeFirst() }  // a cut first line
    if all.last == "" { all.removeLast() }
    return Array(all.suffix(lines))
  }
}

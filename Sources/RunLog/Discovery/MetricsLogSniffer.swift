import Foundation

/// Tells JSON-lines metrics logs from other `*.jsonl` files (datasets of
/// prompts and completions) in a directory.
///
/// A file named `metrics.jsonl` is a log by its name, even empty (a run with
/// no records yet) or with a bad or huge first line. Any other `*.jsonl` is a
/// log when a line within its first `window` bytes parses as a metrics record
/// (an object with an integer `step` or `global_step`), by the one JSON-lines
/// parser; the window bounds what discovery reads however the file looks.
public enum MetricsLogSniffer {
  /// Bytes of a file's head looked at.
  public static let window = 1 << 20

  /// The JSON-lines metrics logs directly in `dir`, sorted by name.
  public static func logs(in dir: String, _ tree: any FileTree = LocalTree()) -> [String] {
    let names = tree.list(dir) ?? []
    return names.filter { $0.hasSuffix(".jsonl") && !$0.hasPrefix(".") }.sorted()
      .map { join(dir, $0) }
      .filter { isLog($0, tree) }
  }

  /// True when the file at `path` is a metrics log (see the type's comment).
  public static func isLog(_ path: String, _ tree: any FileTree = LocalTree()) -> Bool {
    guard let entry = tree.entry(path), !entry.isDirectory else { return false }
    if (path as NSString).lastPathComponent == RunDirectory.metricsName { return true }
    guard let head = tree.head(path, count: window) else { return false }
    return hasRecord(head, complete: entry.size <= Int64(head.count))
  }

  /// True when a line of `head` is a metrics record; the last line counts
  /// only when `complete` (the head is the whole file).
  static func hasRecord(_ head: [UInt8], complete: Bool) -> Bool {
    var parser = MetricLineParser(names: .imported)
    var parsed = MetricLineParser.ParsedLine()
    return head.withUnsafeBufferPointer { all in
      var start = utf8BOMLength(all)
      while start < all.count {
        let nl = all[start...].firstIndex(of: 0x0A)
        guard let end = nl ?? (complete ? all.count : nil) else { return false }
        var line = UnsafeBufferPointer(rebasing: all[start..<end])
        if line.last == 0x0D { line = UnsafeBufferPointer(rebasing: line.dropLast()) }
        if line.first == UInt8(ascii: "{"), parser.parse(line, into: &parsed) == nil { return true }
        start = end + 1
      }
      return false
    }
  }
}

/// 3 when `bytes` start with the UTF-8 byte-order mark, else 0.
func utf8BOMLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
  bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
}

import Foundation

/// Tails one JSON-lines metrics log of another trainer into a `SeriesStore`.
public final class JSONLFileReader {
  /// The log file.
  public var path: String { tail.path }
  /// The parser holding counts and problems.
  public let parser: JSONLMetricsParser
  private var tail: FileTail

  /// A reader of `path`; no I/O until `poll`.
  public init(path: String) {
    tail = FileTail(path: path)
    parser = JSONLMetricsParser(path: path)
  }

  /// Starts over from the beginning of the file on the next poll.
  public func restart() {
    tail.restart()
    parser.reset()
  }

  /// Reads what was appended since the last poll; a replaced or truncated
  /// file clears `store` and is read from its start (`reset`).
  @discardableResult
  public func poll(into store: inout SeriesStore) throws(RunLogError) -> TailReader.Poll {
    try tail.poll(parser, into: &store)
  }

  /// The JSON-lines metrics logs directly in `dir`: `*.jsonl` files whose
  /// first line is an object with an integer `step` or `global_step`
  /// (datasets of prompts and completions are not metrics logs).
  public static func logs(in dir: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    return names.filter { $0.hasSuffix(".jsonl") && !$0.hasPrefix(".") }.sorted()
      .map { join(dir, $0) }
      .filter(looksLikeMetrics)
  }

  /// True when the first line of `path` is a metrics record.
  public static func looksLikeMetrics(_ path: String) -> Bool {
    guard FileStamp.of(path) != nil, let fh = FileHandle(forReadingAtPath: path) else {
      return false
    }
    defer { try? fh.close() }
    let head = (try? fh.read(upToCount: 65536)) ?? Data()
    guard let nl = head.firstIndex(of: 0x0A) else { return false }
    if case .success = JSONLMetricsParser.records([UInt8](head[head.startIndex..<nl])) {
      return true
    }
    return false
  }
}

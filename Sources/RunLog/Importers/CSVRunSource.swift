import Foundation

/// A run logged as a CSV file with a header row (a `step` column and metric columns).
///
/// Tailed like `metrics.jsonl`: each poll reads only the appended bytes and a
/// row waits for its newline. Config is looked for next to the file
/// (`args.json`, `training_args.json`, `config.json`).
public final class CSVRunSource: RunSource {
  /// The CSV file.
  public let path: String
  private var tail: FileTail
  private let parser: CSVMetricsParser
  private var derived = false
  private var beta: Double?

  /// A source for the CSV file at `path`; no I/O until used.
  public init(path: String) {
    self.path = path
    tail = FileTail(path: path)
    parser = CSVMetricsParser(path: path)
  }

  public var id: String { path }
  public var kind: String { "csv" }

  /// True when the file's first line names a step column (what discovery checks).
  /// The header is looked for in the first `CSVMetricsParser.maxRowBytes` (a
  /// wide header of thousands of columns is still a header).
  public static func looksLikeMetrics(_ path: String, _ tree: any FileTree = LocalTree()) -> Bool {
    guard let head = tree.head(path, count: CSVMetricsParser.defaultMaxRowBytes) else {
      return false
    }
    guard let nl = head.firstIndex(of: 0x0A) else { return false }
    var first = [UInt8](head[head.startIndex..<nl])
    if first.starts(with: [0xEF, 0xBB, 0xBF]) { first.removeFirst(3) }
    let names = CSVMetricsParser.split(first).map { $0.trimmingSpaces.lowercased() }
    return names.contains("step") || names.contains("global_step")
  }

  /// The run's name: the file name without `.csv`, or the directory's name
  /// when the file has a generic name (`metrics.csv`, `log.csv`, ...).
  static func runName(_ path: String) -> String {
    let url = URL(fileURLWithPath: path)
    let base = url.deletingPathExtension().lastPathComponent
    let generic = ["metrics", "log", "logs", "progress", "train", "training", "history"]
    if generic.contains(base.lowercased()) {
      let parent = url.deletingLastPathComponent().lastPathComponent
      if !parent.isEmpty, parent != "/" { return parent }
    }
    return base
  }

  private func config() -> ImportedConfig {
    var c = ImportedConfig()
    c.fill(directory: (path as NSString).deletingLastPathComponent)
    return c
  }

  public func manifest() throws(RunLogError) -> RunManifest {
    guard let stamp = FileStamp.of(path) else { throw RunLogError(.missing(path: path)) }
    let c = config()
    let last = Double(stamp.mtimeSec)
    return c.manifest(
      id: path, name: Self.runName(path), createdAt: last, trainer: kind,
      status: ImportedStatus.guess(lastWrite: last, finished: false), updatedAt: last)
  }

  @discardableResult
  public func poll(into store: inout SeriesStore) throws(RunLogError) -> TailReader.Poll {
    let result = try tail.poll(parser, into: &store)
    beta = config().beta
    derived = DerivedSeries.update(&store, beta: beta)
    return result
  }

  /// Parses a last row that has no newline (for a file known to be complete).
  public func finish(into store: inout SeriesStore) {
    parser.finish { store.append($0) }
    derived = DerivedSeries.update(&store, beta: beta)
  }

  public var badCount: Int { parser.badCount }
  public var recentBad: [BadLine] { parser.recentBad }
  public var notes: [String] {
    derived ? beta.map { [DerivedSeries.note(beta: $0)] } ?? [] : []
  }
}

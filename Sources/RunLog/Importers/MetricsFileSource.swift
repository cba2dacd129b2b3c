import Foundation

/// A JSON-lines metrics file given by itself (`dpotop summary log.jsonl`):
/// one run, read by the one JSON-lines reader (`TailReader`).
///
/// `metrics.jsonl` is read with dpotop's key names; any other name with the
/// importers' (`global_step`, `eval_` keys). The manifest comes from
/// `run.json` beside the file when there is one, else it is assembled: the
/// file's name (the directory's for `metrics.jsonl`), its times, and config
/// files next to it (`args.json`, ...).
public final class MetricsFileSource: RunSource {
  /// The file.
  public let path: String
  private let reader: TailReader

  /// A source for the file at `path`; no I/O until used.
  public init(path: String) {
    self.path = path
    let native = (path as NSString).lastPathComponent == RunDirectory.metricsName
    reader = TailReader(path: path, names: native ? .native : .imported)
  }

  public var id: String { path }
  public var kind: String { reader.names == .native ? "dpotop" : "jsonl" }

  public func manifest() throws(RunLogError) -> RunManifest {
    let dir = (path as NSString).deletingLastPathComponent
    if reader.names == .native, RunDirectory.isRun(at: dir.isEmpty ? "." : dir) {
      return try RunDirectory(path: dir.isEmpty ? "." : dir).readManifest()
    }
    guard let stamp = FileStamp.of(path) else { throw RunLogError(.missing(path: path)) }
    var c = ImportedConfig()
    c.fill(directory: dir.isEmpty ? "." : dir)
    let last = Double(stamp.mtimeSec)
    return c.manifest(
      id: path, name: Self.runName(path), createdAt: last, trainer: kind,
      status: ImportedStatus.guess(lastWrite: last, finished: false), updatedAt: last)
  }

  /// The file name without `.jsonl`, or the directory's name for a generic one.
  static func runName(_ path: String) -> String {
    let url = URL(fileURLWithPath: path)
    let base = url.deletingPathExtension().lastPathComponent
    let generic = ["metrics", "log", "logs", "log_history", "progress", "train", "history"]
    if generic.contains(base.lowercased()) {
      let parent = url.deletingLastPathComponent().lastPathComponent
      if !parent.isEmpty, parent != "/" { return parent }
    }
    return base
  }

  @discardableResult
  public func poll(into store: inout SeriesStore) throws(RunLogError) -> TailReader.Poll {
    try reader.poll(into: &store)
  }

  /// Lines read so far (good, bad and blank).
  public var lineCount: Int? { reader.lineCount }
  public var badCount: Int { reader.badCount }
  public var recentBad: [BadLine] { reader.recentBad }
  public var notes: [String] { [] }
}

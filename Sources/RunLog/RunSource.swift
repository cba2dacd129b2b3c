/// Anything the dashboard can show as a run: one of our run directories, or a
/// run trained elsewhere read through an importer (TRL, TensorBoard, W&B, CSV).
///
/// The dashboard and `summary` only talk to this protocol, so every kind of
/// run gets the same screens. Sources are polled from a reader thread; they
/// are not shared between threads while being polled.
public protocol RunSource: AnyObject {
  /// Stable identity: the path the run was found at.
  var id: String { get }
  /// What kind of source this is (`dpotop`, `trl`, `tensorboard`, `csv`).
  var kind: String { get }
  /// The run's description: read from `run.json`, or assembled by the importer
  /// from whatever config it found. Re-read on each call where it can change.
  func manifest() throws(RunLogError) -> RunManifest
  /// Reads what is new into `store` (clearing it first on a reset).
  @discardableResult
  func poll(into store: inout SeriesStore) throws(RunLogError) -> TailReader.Poll
  /// Bad lines or records skipped so far.
  var badCount: Int { get }
  /// The most recent problems, for the run-detail screen.
  var recentBad: [BadLine] { get }
  /// Notes about how metrics were obtained (e.g. "chosen log-ratio derived
  /// from rewards/chosen ÷ β"), shown on screen.
  var notes: [String] { get }
  /// Lines read so far (good, bad and blank) for a line-based source; nil
  /// (the default) when the source has no lines to count.
  var lineCount: Int? { get }
}

extension RunSource {
  public var lineCount: Int? { nil }
}

/// One of dpotop's own run directories (`run.json` + `metrics.jsonl`).
public final class NativeRunSource: RunSource {
  public let directory: RunDirectory
  private let reader: TailReader

  /// A source reading the run directory at `path`.
  public init(path: String) {
    directory = RunDirectory(path: path)
    reader = TailReader(path: directory.metricsPath)
  }

  /// At most about this many bytes of metrics per poll (`TailReader.maxBytesPerPoll`).
  public var maxBytesPerPoll: Int64 {
    get { reader.maxBytesPerPoll }
    set { reader.maxBytesPerPoll = newValue }
  }

  public var id: String { directory.path }
  public var kind: String { "dpotop" }
  public func manifest() throws(RunLogError) -> RunManifest { try directory.readManifest() }

  @discardableResult
  public func poll(into store: inout SeriesStore) throws(RunLogError) -> TailReader.Poll {
    do {
      return try reader.poll(into: &store)
    } catch let error {
      // No metrics file yet: a run that has just been created.
      if case .missing = error.kind { return TailReader.Poll() }
      throw error
    }
  }

  public var lineCount: Int? { reader.lineCount }
  public var badCount: Int { reader.badCount }
  public var recentBad: [BadLine] { reader.recentBad }
  public var notes: [String] { [] }
}

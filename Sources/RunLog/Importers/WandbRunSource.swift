import Foundation

/// A run logged with Weights & Biases: one run directory under `wandb/`
/// (`run-<date>-<id>/` online, `offline-run-<date>-<id>/` offline) holding
/// `run-<id>.wandb`, the binary log W&B writes as the run goes.
///
/// The log is tailed from a byte offset (`WandbFileReader`); the run is named
/// by W&B's display name, else its id; β, loss type and learning rate come
/// from the W&B config (HF Trainer's WandbCallback puts TRL's `DPOConfig` there).
public final class WandbRunSource: RunSource {
  /// The run directory.
  public let path: String
  private var reader: WandbFileReader?
  private var cachedConfig: (revision: Int, path: String, config: ImportedConfig)?
  private var derived = false
  private var lastBeta: Double?
  /// Run info and config read from the head of the log before the first poll.
  private var peeked: WandbParser?

  /// A source for the W&B run directory at `path`; no I/O until used.
  public init(path: String) {
    self.path = path
  }

  public var id: String { path }
  public var kind: String { "wandb" }

  /// The `.wandb` log in `dir`: `run-<id>.wandb` (the newest when there are several).
  public static func logFile(in dir: String) -> String? {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    var best: (stamp: FileStamp, path: String)?
    for name in names where RunFormat.isWandbLogName(name) {
      let p = join(dir, name)
      guard let s = FileStamp.of(p) else { continue }
      if let b = best, (b.stamp.mtimeSec, b.stamp.mtimeNsec, b.path) > (s.mtimeSec, s.mtimeNsec, p)
      {
        continue
      }
      best = (s, p)
    }
    return best?.path
  }

  /// The run id in a log's name (`run-<id>.wandb`): what names the run until
  /// its run record is on disk (wandb-core writes its first 32 KiB block only
  /// when it fills, so a young run's log holds the header alone).
  static func runID(fromLog file: String) -> String? {
    let name = (file as NSString).lastPathComponent
    guard RunFormat.isWandbLogName(name) else { return nil }
    let id = name.dropFirst(4).dropLast(6)
    return id.isEmpty ? nil : String(id)
  }

  /// The parser that knows the run's info: the live reader's once it has
  /// read something, else one that read the head of the log.
  private var infoParser: WandbParser? {
    if let reader, reader.offset > 0 { return reader.parser }
    if let peeked { return peeked }
    guard let file = Self.logFile(in: path), let fh = FileHandle(forReadingAtPath: file) else {
      return nil
    }
    defer { try? fh.close() }
    // The run record (name, id, config) is the second record W&B writes.
    let head = (try? fh.read(upToCount: 256 << 10)) ?? Data()
    let parser = WandbParser(path: file)
    head.withUnsafeBytes { _ = parser.feed($0) { _ in } }
    peeked = parser
    return parser
  }

  /// The configuration from the W&B config (cached until it changes).
  public func config() -> ImportedConfig {
    guard let parser = infoParser else { return ImportedConfig() }
    if let cachedConfig, cachedConfig.revision == parser.configRevision,
      cachedConfig.path == parser.path
    {
      return cachedConfig.config
    }
    var c = ImportedConfig()
    let raw = parser.config
    c.fill(origin: "W&B config") { name in
      raw[name].flatMap { try? LenientJSON.parse($0) }
    }
    cachedConfig = (parser.configRevision, parser.path, c)
    return c
  }

  public func manifest() throws(RunLogError) -> RunManifest {
    guard isDirectory(path) else { throw RunLogError(.missing(path: path)) }
    let file = reader?.path ?? Self.logFile(in: path)
    let stamp = file.flatMap(FileStamp.of)
    let last = stamp.map { Double($0.mtimeSec) } ?? 0
    let info = infoParser
    let c = config()
    let name =
      info?.displayName ?? info?.runID ?? file.flatMap(Self.runID(fromLog:))
      ?? TRLRunSource.runName(path)
    let status: RunStatus
    if let code = info?.exitCode {
      status = code == 0 ? .finished : .failed
    } else {
      status = ImportedStatus.guess(lastWrite: last, finished: false)
    }
    return c.manifest(
      id: path, name: name,
      createdAt: info?.startTime ?? (last > 0 ? last : Date().timeIntervalSince1970),
      trainer: kind, status: status, updatedAt: last > 0 ? last : nil)
  }

  @discardableResult
  public func poll(into store: inout SeriesStore) throws(RunLogError) -> TailReader.Poll {
    guard isDirectory(path) else { throw RunLogError(.missing(path: path)) }
    guard let file = Self.logFile(in: path) else { return TailReader.Poll() }
    var reset = false
    if reader?.path != file {
      // A new log (a run directory reused): start over with it.
      reset = reader != nil
      reader = WandbFileReader(path: file)
      store = SeriesStore()
    }
    guard let reader else { return TailReader.Poll() }
    var result: TailReader.Poll
    do {
      result = try reader.poll(into: &store)
    } catch let e {
      if case .missing = e.kind { return TailReader.Poll() }
      throw e
    }
    result.reset = result.reset || reset
    if reader.offset > 0 { peeked = nil }
    let beta = config().beta
    if let old = lastBeta, old != beta {
      // β changed (a config update): the derived series are stale.
      for (_, target) in DerivedSeries.pairs {
        for split in Split.allCases where store.series(target, split) != nil {
          store.setSeries(target, split, Series())
        }
      }
    }
    lastBeta = beta
    derived = DerivedSeries.update(&store, beta: beta)
    return result
  }

  /// Ends reading a log known to be complete: a trailing partial record is reported.
  public func finish(into store: inout SeriesStore) {
    guard let reader else { return }
    reader.finish(into: &store)
    derived = DerivedSeries.update(&store, beta: lastBeta)
  }

  public var badCount: Int { reader?.parser.badCount ?? 0 }
  public var recentBad: [BadLine] { reader?.parser.recentBad ?? [] }

  public var notes: [String] {
    guard derived, let beta = lastBeta else { return [] }
    return [DerivedSeries.note(beta: beta)]
  }
}

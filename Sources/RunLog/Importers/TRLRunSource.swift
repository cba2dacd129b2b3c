import Foundation

/// A run written by HF Trainer / TRL (an output directory) or any TensorBoard
/// log directory.
///
/// Live data comes from the event files under the directory when there are
/// any (they are appended as training goes, and read from a byte offset);
/// else from JSON-lines metrics logs in the directory (tailed the same way);
/// else from the newest `trainer_state.json` (rewritten at each save).
/// `kind` is `trl` when the directory has a `trainer_state.json`, the HF
/// Trainer's `args` summary or only JSON-lines logs, else `tensorboard`.
public final class TRLRunSource: RunSource {
  /// The directory.
  public let path: String
  private var eventReaders: [TFEventsFileReader] = []
  private var stateReader: TrainerStateReader?
  private var jsonlReaders: [TailReader] = []
  /// Which `*.jsonl` files here are metrics logs, by path: a file once seen
  /// to be a log stays one; another is looked at again when its size changed.
  private var sniffed: [String: (size: Int64, isLog: Bool)] = [:]
  private var cachedState: (stamp: FileStamp, state: TrainerState)?
  private var cachedConfig: (key: [String], config: ImportedConfig)?
  private var derived = false
  private var lastBeta: Double?

  /// A source for the output or log directory at `path`; no I/O until used.
  public init(path: String) {
    self.path = path
    runDirectory = nil
  }

  /// A source for one of dpotop's run directories whose trainer was TRL
  /// (`dpotop sweep --preset trl`): `run.json` is the manifest (the sweep
  /// keeps its status), TRL's output in the same directory the metrics.
  public init(runDirectory path: String) {
    self.path = path
    runDirectory = RunDirectory(path: path)
  }

  /// Set when `run.json` (written by dpotop) describes the run.
  public let runDirectory: RunDirectory?

  public var id: String { path }

  public var kind: String {
    let hasArgs = eventReaders.contains { $0.parser.texts["args/text_summary"] != nil }
    if hasArgs || Self.trainerStatePath(in: path) != nil { return "trl" }
    let onlyLogs = eventReaders.isEmpty && !jsonlLogs().isEmpty
    return onlyLogs ? "trl" : "tensorboard"
  }

  /// The event files of the run in reading order: by the creation time in
  /// their name (`events.out.tfevents.<unix time>.<host>...`), then path.
  /// `checkpoint-*` directories are not searched (they hold no logs).
  public static func eventFiles(
    in dir: String, depth: Int = 3, _ tree: any FileTree = LocalTree()
  ) -> [String] {
    var found: [String] = []
    collectEventFiles(dir, depth: depth, tree, &found)
    func key(_ p: String) -> (Int, String) {
      let name = (p as NSString).lastPathComponent
      let parts = name.split(separator: ".")
      let t = parts.count > 3 ? Int(parts[3]) ?? 0 : 0
      return (t, p)
    }
    return found.sorted { key($0) < key($1) }
  }

  private static func collectEventFiles(
    _ dir: String, depth: Int, _ tree: any FileTree, _ found: inout [String]
  ) {
    guard let names = tree.list(dir) else { return }
    for name in names where !name.hasPrefix(".") {
      let p = join(dir, name)
      if name.hasPrefix("events.out.tfevents.") {
        if tree.isFile(p) { found.append(p) }
      } else if depth > 0, !name.hasPrefix("checkpoint-"), tree.isDirectory(p) {
        collectEventFiles(p, depth: depth - 1, tree, &found)
      }
    }
  }

  /// The `trainer_state.json` to read: the newest checkpoint's (highest
  /// `checkpoint-N`), or the one in the directory itself when it is newer.
  public static func trainerStatePath(in dir: String, _ tree: any FileTree = LocalTree())
    -> String?
  {
    var best: (n: Int, path: String)?
    let names = tree.list(dir) ?? []
    for name in names where name.hasPrefix("checkpoint-") {
      guard let n = Int(name.dropFirst("checkpoint-".count)) else { continue }
      let p = join(join(dir, name), "trainer_state.json")
      if tree.isFile(p), n > (best?.n ?? -1) { best = (n, p) }
    }
    let top = join(dir, "trainer_state.json")
    if let topEntry = tree.entry(top), !topEntry.isDirectory {
      guard let b = best, let bEntry = tree.entry(b.path) else { return top }
      return topEntry.mtime >= bEntry.mtime ? top : b.path
    }
    return best?.path
  }

  /// The configuration found so far (files, event summaries, trainer state).
  ///
  /// Cached: assembled again only when a config file, the trainer state or
  /// the event files' summaries changed (it is asked for at every poll).
  public func config() -> ImportedConfig {
    var key = ["args.json", "training_args.json", "config.json"].map {
      FileStamp.of(join(path, $0)).map { "\($0)" } ?? "-"
    }
    key.append(Self.trainerStatePath(in: path).flatMap(FileStamp.of).map { "\($0)" } ?? "-")
    for r in eventReaders { key.append("\(r.parser.texts.count) \(r.parser.hparams.count)") }
    if let cachedConfig, cachedConfig.key == key { return cachedConfig.config }
    let c = assembleConfig()
    cachedConfig = (key, c)
    return c
  }

  private func assembleConfig() -> ImportedConfig {
    var c = ImportedConfig()
    c.fill(directory: path)
    for r in eventReaders where r.offset == 0 {
      peekConfig(r.path)
    }
    for r in eventReaders {
      if let text = r.parser.texts["args/text_summary"]
        ?? peeked[r.path]?.texts["args/text_summary"],
        let json = try? LenientJSON.parse(Array(text.utf8))
      {
        c.fill(origin: "TensorBoard args summary", json: json)
      }
    }
    for r in eventReaders {
      let hp = r.parser.hparams.isEmpty ? peeked[r.path]?.hparams ?? [:] : r.parser.hparams
      if !hp.isEmpty { c.fill(origin: "TensorBoard hparams", hparams: hp) }
    }
    if c.maxSteps == nil || c.batchSize == nil, let state = stateReader?.state ?? readState() {
      let before = (c.maxSteps, c.batchSize)
      c.maxSteps = c.maxSteps ?? state.maxSteps
      c.batchSize = c.batchSize ?? state.trainBatchSize
      if before != (c.maxSteps, c.batchSize) { c.origins.append("trainer_state.json") }
    }
    return c
  }

  /// Config summaries from the head of event files not read yet, so a
  /// manifest asked for before the first poll has β already.
  private var peeked: [String: (texts: [String: String], hparams: [String: HParamValue])] = [:]

  /// Reads the first 256 kB of `file` for its `args` text and hparams
  /// (HF Trainer writes them at train begin, before any scalar), once.
  private func peekConfig(_ file: String) {
    guard peeked[file] == nil, let fh = FileHandle(forReadingAtPath: file) else { return }
    defer { try? fh.close() }
    let head = (try? fh.read(upToCount: 256 << 10)) ?? Data()
    let parser = TFEventsParser(path: file)
    head.withUnsafeBytes { _ = parser.feed($0) { _ in } }
    peeked[file] = (parser.texts, parser.hparams)
  }

  /// The newest trainer state, parsed again only when its file changed.
  private func readState() -> TrainerState? {
    guard let p = Self.trainerStatePath(in: path), let stamp = FileStamp.of(p) else { return nil }
    if let cachedState, cachedState.stamp == stamp { return cachedState.state }
    guard let data = try? readWholeFile(p),
      let state = try? TrainerState.parse([UInt8](data))
    else { return nil }
    cachedState = (stamp, state)
    return state
  }

  public func manifest() throws(RunLogError) -> RunManifest {
    guard isDirectory(path) else { throw RunLogError(.missing(path: path)) }
    if eventReaders.isEmpty { refreshEventReaders() }
    let c = config()
    if let runDirectory {
      // dpotop's manifest wins; what it leaves empty comes from TRL's config.
      var m = try runDirectory.readManifest()
      m.objective = m.objective ?? c.objective
      m.beta = m.beta ?? c.beta
      m.lambda = m.lambda ?? c.lambda
      m.learningRate = m.learningRate ?? c.learningRate
      m.plannedSteps = m.plannedSteps ?? c.maxSteps
      m.batchSize = m.batchSize ?? c.batchSize
      m.seed = m.seed ?? c.seed
      return m
    }
    let files = eventReaders.map(\.path) + [Self.trainerStatePath(in: path)].compactMap { $0 }
    let stamps = files.compactMap(FileStamp.of)
    let created = stamps.map { Double($0.mtimeSec) }.min() ?? Date().timeIntervalSince1970
    let last = stamps.map { Double($0.mtimeSec) }.max() ?? 0
    var m = RunManifest(
      id: path, name: Self.runName(path), createdAt: created, trainer: kind,
      status: ImportedStatus.guess(lastWrite: last, finished: isFinished(c)))
    m.objective = c.objective
    m.beta = c.beta
    m.lambda = c.lambda
    m.learningRate = c.learningRate
    m.plannedSteps = c.maxSteps
    m.batchSize = c.batchSize
    m.seed = c.seed
    m.updatedAt = last > 0 ? last : nil
    return m
  }

  private func isFinished(_ c: ImportedConfig) -> Bool {
    guard let state = stateReader?.state ?? readState() else { return false }
    if state.records.contains(where: { $0["train_runtime"] != nil }) { return true }
    if let g = state.globalStep, let m = c.maxSteps ?? state.maxSteps { return g >= m }
    return false
  }

  /// A run's name: the directory's name (the output dir for TRL's `runs/<date>` logs).
  static func runName(_ path: String) -> String {
    let trimmed = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
    return (trimmed as NSString).lastPathComponent
  }

  @discardableResult
  public func poll(into store: inout SeriesStore) throws(RunLogError) -> TailReader.Poll {
    guard isDirectory(path) else { throw RunLogError(.missing(path: path)) }
    refreshEventReaders()
    var result = TailReader.Poll()
    if !eventReaders.isEmpty {
      var again = false
      for r in eventReaders {
        let p = try pollTolerant(r, &store)
        result.records += p.records
        result.badLines += p.badLines
        if p.reset { again = true }
      }
      if again {
        // One file started over: rebuild the whole store from every file, in order.
        store = SeriesStore()
        result = TailReader.Poll()
        result.reset = true
        for r in eventReaders {
          r.restart()
          let p = try pollTolerant(r, &store)
          result.records += p.records
          result.badLines += p.badLines
        }
      }
    } else if !refreshJSONLReaders().isEmpty {
      result = try pollJSONL(&store)
    } else if let statePath = Self.trainerStatePath(in: path) {
      let reader = stateReader ?? TrainerStateReader(path: statePath)
      stateReader = reader
      result = try reader.poll(into: &store, path: statePath)
    }
    var beta = config().beta
    if beta == nil, let runDirectory { beta = (try? runDirectory.readManifest())?.beta }
    if let old = lastBeta, old != beta {
      // β changed (the config was edited): the derived series are stale.
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

  /// Polls one event file; a file deleted between listing and reading is skipped.
  private func pollTolerant(_ r: TFEventsFileReader, _ store: inout SeriesStore)
    throws(RunLogError) -> TailReader.Poll
  {
    do {
      return try r.poll(into: &store)
    } catch let e {
      if case .missing = e.kind { return TailReader.Poll() }
      throw e
    }
  }

  /// Picks up JSON-lines logs (only looked for while there are no event files).
  private func refreshJSONLReaders() -> [TailReader] {
    let files = jsonlLogs()
    if files != jsonlReaders.map(\.path) {
      let old = Dictionary(jsonlReaders.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
      jsonlReaders = files.map { old[$0] ?? TailReader(path: $0, names: .imported) }
    }
    return jsonlReaders
  }

  /// The JSON-lines metrics logs in the directory (`MetricsLogSniffer`), each
  /// file's head looked at again only when its size changed.
  private func jsonlLogs() -> [String] {
    let tree = LocalTree()
    let names = tree.list(path) ?? []
    var logs: [String] = []
    for name in names.sorted() where name.hasSuffix(".jsonl") && !name.hasPrefix(".") {
      let p = join(path, name)
      guard let e = tree.entry(p), !e.isDirectory else { continue }
      let isLog: Bool
      if let known = sniffed[p], known.isLog || known.size == e.size {
        isLog = known.isLog
      } else {
        isLog = MetricsLogSniffer.isLog(p, tree)
      }
      sniffed[p] = (e.size, isLog)
      if isLog { logs.append(p) }
    }
    return logs
  }

  private func pollJSONL(_ store: inout SeriesStore) throws(RunLogError) -> TailReader.Poll {
    var result = TailReader.Poll()
    for pass in 0..<2 {
      var again = false
      for r in jsonlReaders {
        let p: TailReader.Poll
        do {
          p = try r.poll(into: &store)
        } catch let e {
          if case .missing = e.kind { continue }
          throw e
        }
        result.records += p.records
        result.badLines += p.badLines
        if p.reset { again = true }
      }
      guard again, pass == 0 else { break }
      // One log started over: rebuild the store from every log, in order.
      store = SeriesStore()
      result = TailReader.Poll()
      result.reset = true
      for r in jsonlReaders { r.restart() }
    }
    return result
  }

  private func refreshEventReaders() {
    let files = Self.eventFiles(in: path)
    guard files != eventReaders.map(\.path) else { return }
    let old = Dictionary(eventReaders.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
    eventReaders = files.map { old[$0] ?? TFEventsFileReader(path: $0) }
  }

  public var badCount: Int {
    eventReaders.reduce(0) { $0 + $1.parser.badCount }
      + jsonlReaders.reduce(0) { $0 + $1.badCount } + (stateReader?.badCount ?? 0)
  }

  /// Lines of the JSON-lines logs, when they are what the run is read from.
  public var lineCount: Int? {
    eventReaders.isEmpty && !jsonlReaders.isEmpty
      ? jsonlReaders.reduce(0) { $0 + $1.lineCount } : nil
  }

  public var recentBad: [BadLine] {
    let all =
      eventReaders.flatMap(\.parser.recentBad) + jsonlReaders.flatMap(\.recentBad)
      + (stateReader?.recentBad ?? [])
    return Array(all.suffix(50))
  }

  public var notes: [String] {
    var out: [String] = []
    if eventReaders.isEmpty, jsonlReaders.isEmpty, let p = stateReader?.path {
      out.append("metrics from \(p) (no TensorBoard event files): updated at each checkpoint save")
    }
    if derived, let beta = lastBeta { out.append(DerivedSeries.note(beta: beta)) }
    return out
  }
}

/// True when `path` is a directory (following symbolic links).
func isDirectory(_ path: String) -> Bool {
  var st = stat()
  return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
}

/// How an importer guesses the status of a run it did not launch.
public enum ImportedStatus {
  /// A run whose files changed within this many seconds counts as running.
  public static let liveWindow = 120.0

  /// `finished` when the logs say so, `running` when written recently, else `stopped`.
  public static func guess(lastWrite: Double, finished: Bool, now: Double? = nil) -> RunStatus {
    if finished { return .finished }
    let t = now ?? Date().timeIntervalSince1970
    return t - lastWrite < liveWindow ? .running : .stopped
  }
}

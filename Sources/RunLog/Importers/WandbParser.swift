import Foundation

/// One numeric value of a W&B history row.
public struct WandbItem: Sendable, Equatable {
  /// Index into `WandbParser.keys`.
  public var key: Int
  public var value: Double

  /// Equal when both fields are; NaN equals NaN (a value read twice compares equal).
  public static func == (a: WandbItem, b: WandbItem) -> Bool {
    a.key == b.key && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
  }
}

/// One W&B history row (one `wandb.log` call), its envelope taken out of the items.
public struct WandbRow: Sendable, Equatable {
  /// W&B's own step (`HistoryStep.num`, else the `_step` item).
  public var step = 0
  /// The `_step` item, when logged.
  public var loggedStep: Int?
  /// `train/global_step` (HF Trainer's WandbCallback logs it in every row).
  public var globalStep: Int?
  /// `_timestamp`: unix seconds.
  public var time: Double?
  /// Numeric items other than the envelope (`_step`, `_timestamp`, `_runtime`,
  /// `train/global_step`). Text, booleans and media are not items.
  public var items: [WandbItem] = []

  /// The step dpotop plots a row at: the trainer's global step when logged,
  /// else W&B's step (which counts `log` calls, eval rows included).
  public var plotStep: Int { globalStep ?? step }

  public static func == (a: WandbRow, b: WandbRow) -> Bool {
    a.step == b.step && a.loggedStep == b.loggedStep && a.globalStep == b.globalStep
      && (a.time == b.time || (a.time?.isNaN == true && b.time?.isNaN == true))
      && a.items == b.items
  }
}

/// Turns the bytes of a W&B `.wandb` file into history rows, config, summary
/// and run info, incrementally.
///
/// Framing (`LevelDBLogFramer`) and decoding (`WandbRecordDecoder`) with no
/// I/O: the file reader feeds it what was appended, the fuzz harness arbitrary
/// bytes in arbitrary chunks. Keys are interned (a run logs the same few keys
/// a million times). Bad records are counted and described with their byte
/// offset; nothing already handed out is taken back.
public final class WandbParser {
  /// The file the bytes come from (for messages only).
  public let path: String
  /// Good records decoded so far (of every type).
  public var recordCount: Int { hot.recordCount }
  /// Bad records (bad regions) found so far.
  public var badCount: Int { hot.badCount }
  /// The most recent problems; `line` is the record ordinal, the reason names the byte offset.
  public private(set) var recentBad: [BadLine] = []
  /// How many problems `recentBad` keeps.
  public var keptBad = 50
  /// Run info from the `RunRecord` (id, display name, project, start time).
  public private(set) var runID: String?
  public private(set) var displayName: String?
  public private(set) var project: String?
  public private(set) var startTime: Double?
  /// The run config: key → raw `value_json` (parsed by whoever needs a value).
  public private(set) var config: [String: [UInt8]] = [:]
  /// Bumped whenever `config` changes, so users can cache what they derive from it.
  public private(set) var configRevision = 0
  /// The exit code, once the run's exit record was read.
  public private(set) var exitCode: Int?
  /// History rows read so far.
  public var rowCount: Int { hot.rowCount }

  private var framer = LevelDBLogFramer()
  /// What every record touches. During a feed it is moved into a local
  /// (`feed` swaps it out and back), so a million records cost no dynamic
  /// exclusivity checks on the parser's properties; between feeds it is here.
  private var hot = Hot()
  /// `keys`, kept current during a feed too (copied when a key is added).
  private var keyNames: [String] = []

  private struct Hot {
    var interner = ByteInterner()
    var row = WandbRow()
    /// The latest summary value of each key, kept unparsed until `summary` is asked.
    var summaryStore = WandbSummaryValues()
    /// Scratch for the decoder: one summary record's changes.
    var summaryChanges: [WandbRecordDecoder.SummaryChange] = []
    var recordCount = 0
    var badCount = 0
    var rowCount = 0
    /// `keyNames.count`, known without touching the parser.
    var published = 0
  }

  /// A parser for bytes of `path`.
  public init(path: String) {
    self.path = path
    for k in WandbRecordDecoder.reservedKeys { _ = hot.interner.intern(k) }
    keyNames = hot.interner.names
    hot.published = keyNames.count
  }

  /// Interned keys, in first-seen order (the first four are the envelope's).
  public var keys: [String] { keyNames }
  /// `keys.count`, without touching the array (asked for every row).
  public var keyCount: Int { keyNames.count }

  /// The latest numeric summary value of each key (`run.summary`).
  public var summary: [String: Double] {
    let names = keyNames
    var out: [String: Double] = [:]
    for i in 0..<hot.summaryStore.count {
      if let v = hot.summaryStore.value(i) { out[names[i]] = v }
    }
    return out
  }

  /// File offset of the first byte not yet consumed (a partial record waits after it).
  public var consumedOffset: Int64 { framer.consumedOffset }

  /// Feeds bytes appended to the stream; `sink` gets each complete history row in order.
  @discardableResult
  public func feed(_ bytes: UnsafeRawBufferPointer, _ sink: (WandbRow) -> Void)
    -> TailReader.Poll
  {
    var poll = TailReader.Poll()
    var h = Hot()
    swap(&h, &hot)
    defer { swap(&h, &hot) }
    framer.feed(
      bytes, record: { handle($0, $1, &h, &poll, sink) }, problem: { noteBad($0, &h, &poll) })
    return poll
  }

  /// Ends the stream: a partial record left at the end is reported as truncated.
  @discardableResult
  public func finish(_ sink: (WandbRow) -> Void) -> TailReader.Poll {
    var poll = TailReader.Poll()
    var h = Hot()
    swap(&h, &hot)
    defer { swap(&h, &hot) }
    framer.finish(record: { handle($0, $1, &h, &poll, sink) }, problem: { noteBad($0, &h, &poll) })
    return poll
  }

  /// Forgets the stream (a replaced or truncated file); interned keys stay valid.
  public func reset() {
    framer.reset()
    hot.recordCount = 0
    hot.badCount = 0
    hot.rowCount = 0
    recentBad.removeAll()
    runID = nil
    displayName = nil
    project = nil
    startTime = nil
    config = [:]
    configRevision += 1
    exitCode = nil
    hot.summaryStore = WandbSummaryValues()
  }

  private func handle(
    _ payload: UnsafeRawBufferPointer, _ offset: Int64, _ h: inout Hot,
    _ poll: inout TailReader.Poll, _ sink: (WandbRow) -> Void
  ) {
    guard
      let kind = WandbRecordDecoder.decode(
        payload, keys: &h.interner, row: &h.row, summary: &h.summaryChanges)
    else {
      // The checksum matched, so the writer wrote these bytes: they are just not a Record.
      noteBad(.init(offset: offset, reason: "record is not a valid W&B Record message"), &h, &poll)
      return
    }
    if h.interner.names.count != h.published {
      keyNames = h.interner.names
      h.published = keyNames.count
    }
    h.recordCount += 1
    poll.records += 1
    switch kind {
    case .history:
      h.rowCount += 1
      sink(h.row)
    case .summary:
      h.summaryStore.grow(to: h.interner.names.count)
      for change in h.summaryChanges { h.summaryStore.set(change) }
    case .config(let updates, let removed):
      applyConfig(updates, removed)
    case .run(let info, let cfg):
      runID = info.runID ?? runID
      displayName = info.displayName.flatMap { $0.isEmpty ? nil : $0 } ?? displayName
      project = info.project ?? project
      startTime = info.startTime ?? startTime
      applyConfig(cfg, [])
    case .exit(let code):
      exitCode = code
    case .other:
      break
    }
  }

  private func applyConfig(_ updates: [(key: String, json: [UInt8])], _ removed: [String]) {
    guard !updates.isEmpty || !removed.isEmpty else { return }
    for k in removed { config[k] = nil }
    for (k, v) in updates { config[k] = v }
    configRevision += 1
  }

  private func noteBad(
    _ problem: LevelDBLogFramer.Problem, _ h: inout Hot, _ poll: inout TailReader.Poll
  ) {
    h.badCount += 1
    poll.badLines += 1
    let reason = "record at byte offset \(problem.offset): \(problem.reason)"
    recentBad.append(BadLine(path: path, line: h.recordCount + h.badCount, reason: reason))
    if recentBad.count > keptBad { recentBad.removeFirst(recentBad.count - keptBad) }
  }
}

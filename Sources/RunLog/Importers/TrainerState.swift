import Foundation

/// What `trainer_state.json` (HF Trainer / TRL) holds that dpotop uses.
public struct TrainerState: Sendable, Equatable {
  /// `log_history` as records: train entries, and `eval_*` entries with the prefix stripped.
  public var records: [MetricRecord] = []
  /// Entries that could not be used, with why (index is 1-based in `log_history`).
  public var problems: [(entry: Int, reason: String)] = []
  /// `max_steps`, when positive.
  public var maxSteps: Int?
  /// `global_step`.
  public var globalStep: Int?
  /// `train_batch_size`.
  public var trainBatchSize: Int?

  /// Equal when records and scalars are equal (problems compared by text).
  public static func == (a: TrainerState, b: TrainerState) -> Bool {
    a.records == b.records && a.maxSteps == b.maxSteps && a.globalStep == b.globalStep
      && a.trainBatchSize == b.trainBatchSize && a.problems.count == b.problems.count
      && zip(a.problems, b.problems).allSatisfy { $0.entry == $1.entry && $0.reason == $1.reason }
  }

  /// Parses the bytes of a `trainer_state.json`.
  ///
  /// Each `log_history` entry has a `step`; its numeric keys become one train
  /// record, its `eval_*` keys one eval record (prefix stripped), and `epoch`
  /// goes into whichever records the entry makes. Non-numeric values are
  /// ignored; `NaN`/`Infinity` are kept. Throws when the document itself is
  /// not JSON or has no `log_history` array.
  public static func parse(_ bytes: [UInt8]) throws(LenientJSON.ParseError) -> TrainerState {
    let doc = try LenientJSON.parse(bytes)
    guard case .object = doc else {
      throw LenientJSON.ParseError(line: 1, column: 1, reason: "expected a JSON object")
    }
    var state = TrainerState()
    state.maxSteps = doc["max_steps"]?.number.flatMap(exactInt).flatMap { $0 > 0 ? $0 : nil }
    state.globalStep = doc["global_step"]?.number.flatMap(exactInt)
    state.trainBatchSize = doc["train_batch_size"]?.number.flatMap(exactInt)
    guard case .array(let history) = doc["log_history"] ?? .null else {
      throw LenientJSON.ParseError(line: 1, column: 1, reason: "no \"log_history\" array")
    }
    for (n, entry) in history.enumerated() {
      guard case .object(let members) = entry else {
        state.problems.append((n + 1, "log_history entry \(n + 1) is not an object"))
        continue
      }
      guard let stepValue = entry["step"]?.number, let step = exactInt(stepValue) else {
        state.problems.append((n + 1, "log_history entry \(n + 1) has no integer \"step\""))
        continue
      }
      // A negative step would discard every earlier record through the resume rule.
      guard step >= 0 else {
        state.problems.append((n + 1, "log_history entry \(n + 1) has a negative \"step\""))
        continue
      }
      state.records.append(contentsOf: records(members, step: step))
    }
    return state
  }

  /// Splits one flat entry into a train and an eval record (either may be absent).
  static func records(_ members: [(key: String, value: LenientJSON)], step: Int)
    -> [MetricRecord]
  {
    splitRecords(
      members.compactMap { m in m.key == "step" ? nil : m.value.number.map { (m.key, $0) } },
      step: step)
  }
}

/// Splits one row of flat `key → value` pairs (HF names) into a train and an
/// eval record (either may be absent); `epoch` goes into each record made.
func splitRecords(_ pairs: [(String, Double)], step: Int, time: Double? = nil) -> [MetricRecord] {
  var train: [(String, Double)] = []
  var eval: [(String, Double)] = []
  var epoch: Double?
  for (k, x) in pairs {
    if k == MetricKey.epoch {
      epoch = x
      continue
    }
    let (split, key) = ImportedNames.fromFlatKey(k)
    if split == .eval { eval.append((key, x)) } else { train.append((key, x)) }
  }
  var out: [MetricRecord] = []
  if !train.isEmpty || (eval.isEmpty && epoch != nil) {
    if let epoch { train.append((MetricKey.epoch, epoch)) }
    out.append(MetricRecord(step: step, time: time, split: .train, values: train))
  }
  if !eval.isEmpty {
    if let epoch { eval.append((MetricKey.epoch, epoch)) }
    out.append(MetricRecord(step: step, time: time, split: .eval, values: eval))
  }
  return out
}

/// `v` as an Int when it is integral and in range.
func exactInt(_ v: Double) -> Int? {
  guard v.isFinite, v == v.rounded(), abs(v) < 9e15 else { return nil }
  return Int(v)
}

/// Follows a `trainer_state.json` that the trainer rewrites whole at each save.
///
/// Re-reads only when the file's device, inode, size or mtime changed. The
/// history is cumulative, so when the new file starts with every record
/// already delivered only the new ones are appended; otherwise (a different
/// run, a rewind) the store is rebuilt and the poll says `reset`. A file that
/// does not parse (caught half-written: HF writes it in place) is reported
/// once per version and retried when it changes; what was read stays.
public final class TrainerStateReader {
  /// The file currently followed (the newest checkpoint's may replace it).
  public private(set) var path: String
  /// The last good parse.
  public private(set) var state: TrainerState?
  /// Problems so far (unparseable versions and unusable entries).
  public private(set) var badCount = 0
  /// The most recent problems.
  public private(set) var recentBad: [BadLine] = []
  private var stamp: FileStamp?
  private var delivered: [MetricRecord] = []
  private var reportedEntries = 0

  /// A reader of `path`; no I/O until `poll`.
  public init(path: String) {
    self.path = path
  }

  /// Reads the file again if it changed (or `path` now names another file).
  @discardableResult
  public func poll(into store: inout SeriesStore, path newPath: String? = nil)
    throws(RunLogError) -> TailReader.Poll
  {
    if let newPath, newPath != path {
      path = newPath
      stamp = nil
    }
    var result = TailReader.Poll()
    guard let now = FileStamp.of(path) else {
      if FileManager.default.fileExists(atPath: path) {
        throw RunLogError(.notARun(path: path, reason: "not a regular file"))
      }
      throw RunLogError(.missing(path: path))
    }
    guard now != stamp else { return result }
    stamp = now
    let bytes = [UInt8](try readWholeFile(path))
    let parsed: TrainerState
    do {
      parsed = try TrainerState.parse(bytes)
    } catch {
      note(BadLine(path: path, line: error.line, reason: error.reason), &result)
      return result
    }
    state = parsed
    for p in parsed.problems.dropFirst(reportedEntries) {
      note(BadLine(path: path, line: 0, reason: p.reason), &result)
    }
    reportedEntries = max(reportedEntries, parsed.problems.count)
    let new = parsed.records
    let keeps = new.count >= delivered.count && zip(new, delivered).allSatisfy { $0 == $1 }
    if !keeps {
      store = SeriesStore()
      delivered.removeAll()
      result.reset = true
    }
    for r in new.dropFirst(delivered.count) {
      store.append(r)
      result.records += 1
    }
    delivered = new
    return result
  }

  private func note(_ bad: BadLine, _ result: inout TailReader.Poll) {
    badCount += 1
    result.badLines += 1
    recentBad.append(bad)
    if recentBad.count > 50 { recentBad.removeFirst(recentBad.count - 50) }
  }
}

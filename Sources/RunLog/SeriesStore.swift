/// All metrics of one run, by split and key, ready for plotting.
///
/// Fed by `TailReader` (incrementally, as a run grows) or by importers. Keys
/// keep the order in which they were first seen, which is the order the
/// run-detail screen lists them in.
///
/// Superseding (docs/run-format.md, "Resumed runs"): a record whose step is
/// lower than the step of the previous record of its split starts history
/// over from that step — every series of its split loses its points at that
/// step and after, every series of the other split its points after it. A
/// record at the *same* step as the previous one only replaces the values of
/// the keys it carries (trainers log several records per step).
public struct SeriesStore: Sendable, Equatable {
  /// Every series, by slot; `slotKey`/`slotSplit` say whose it is.
  private var slots: [Series] = []
  private var slotKey: [String] = []
  private var slotSplit: [Split] = []
  private var trainIndex: [String: Int] = [:]
  private var evalIndex: [String: Int] = [:]
  /// Wall-clock time per step, per split (for replay paced by recorded time).
  public private(set) var trainTimes = Series()
  public private(set) var evalTimes = Series()
  /// Keys in first-seen order, per split.
  public private(set) var trainKeys: [String] = []
  public private(set) var evalKeys: [String] = []
  /// Number of records appended (after superseding, records are still counted once each).
  public private(set) var recordCount = 0
  /// Step of the last record of each split (what a going-back step is measured against).
  private var lastTrainRecord: Int?
  private var lastEvalRecord: Int?
  /// Lowest record step of each split (what the parallel reader checks before appending).
  private var minTrainRecord: Int?
  private var minEvalRecord: Int?

  /// An empty store.
  public init() {}

  /// Series by key of the train split.
  public var train: [String: Series] { table(.train) }
  /// Series by key of the eval split.
  public var eval: [String: Series] { table(.eval) }

  /// The series of `key` in `split`, if any point was logged.
  public func series(_ key: String, _ split: Split = .train) -> Series? {
    let index = split == .train ? trainIndex : evalIndex
    return index[key].map { slots[$0] }
  }

  /// Keys of `split` in first-seen order.
  public func keys(_ split: Split) -> [String] {
    split == .train ? trainKeys : evalKeys
  }

  /// Recorded wall-clock times of `split`.
  public func times(_ split: Split) -> Series {
    split == .train ? trainTimes : evalTimes
  }

  /// The highest step of any point in either split.
  public var lastStep: Int? {
    (slots.compactMap(\.lastStep) + [trainTimes.lastStep, evalTimes.lastStep].compactMap { $0 })
      .max()
  }

  /// Appends one record, applying the superseding rule.
  public mutating func append(_ record: MetricRecord) {
    beginRecord(split: record.split, step: record.step, time: record.time)
    for (k, v) in record.values {
      append(slot: slot(key: k, split: record.split), step: record.step, value: v)
    }
  }

  /// Starts a record: counts it, applies the superseding rule, records its time.
  /// Follow with `append(slot:step:value:)` for each of its values.
  public mutating func beginRecord(split: Split, step: Int, time: Double?) {
    recordCount += 1
    let last = split == .train ? lastTrainRecord : lastEvalRecord
    if let last, step < last { supersede(from: step, split) }
    if split == .train {
      lastTrainRecord = step
      minTrainRecord = Swift.min(minTrainRecord ?? step, step)
    } else {
      lastEvalRecord = step
      minEvalRecord = Swift.min(minEvalRecord ?? step, step)
    }
    if let time { appendTime(split: split, step: step, time: time) }
  }

  /// The slot of `key` in `split`, created (empty) when new.
  public mutating func slot(key: String, split: Split) -> Int {
    if let i = split == .train ? trainIndex[key] : evalIndex[key] { return i }
    let i = slots.count
    slots.append(Series())
    slotKey.append(key)
    slotSplit.append(split)
    if split == .train {
      trainIndex[key] = i
      trainKeys.append(key)
    } else {
      evalIndex[key] = i
      evalKeys.append(key)
    }
    return i
  }

  /// Appends one point to the series in `slot` (a same-or-earlier step replaces its tail).
  public mutating func append(slot: Int, step: Int, value: Double) {
    slots[slot].append(step: step, value: value)
  }

  /// Appends one point of `key` directly, with the per-series rule only.
  public mutating func append(key: String, split: Split, step: Int, value: Double) {
    append(slot: slot(key: key, split: split), step: step, value: value)
  }

  /// Records the wall-clock time of a step directly.
  public mutating func appendTime(split: Split, step: Int, time: Double) {
    if split == .train {
      trainTimes.append(step: step, value: time)
    } else {
      evalTimes.append(step: step, value: time)
    }
  }

  /// Counts one record appended without `beginRecord`.
  public mutating func countRecord() { recordCount += 1 }

  /// Replaces the whole series of `key` (importers that build series themselves).
  public mutating func setSeries(_ key: String, _ split: Split, _ series: Series) {
    slots[slot(key: key, split: split)] = series
  }

  /// Bytes of numeric payload held by all series and times (capacity included).
  public var allocatedBytes: Int {
    slots.reduce(trainTimes.allocatedBytes + evalTimes.allocatedBytes) { $0 + $1.allocatedBytes }
  }

  /// Reserves room for about `records` more records in every series, scaled by
  /// each series' share of the `seen` records read so far (bulk loads).
  mutating func reserve(records: Int, seen: Int) {
    guard seen > 0 else { return }
    let scale = Double(records) / Double(seen)
    for i in slots.indices { slots[i].reserve(Int(Double(slots[i].count) * scale * 1.02) + 16) }
    trainTimes.reserve(Int(Double(trainTimes.count) * scale * 1.02) + 16)
    evalTimes.reserve(Int(Double(evalTimes.count) * scale * 1.02) + 16)
  }

  /// Step of the last record of `split`, if any.
  func lastRecordStep(_ split: Split) -> Int? {
    split == .train ? lastTrainRecord : lastEvalRecord
  }

  /// True when appending `later`'s series to this store's gives what reading
  /// its records after this store's would (the parallel reader's merge).
  func canAppendIndependently(_ later: SeriesStore) -> Bool {
    // `later` was read without knowing this store. Its records change nothing
    // here only when every record of a split is after this store's last record
    // of that split and at or after the last record of the other split (so
    // neither a superseding step nor a same-step replacement reaches back).
    for split in Split.allCases {
      guard let first = split == .train ? later.minTrainRecord : later.minEvalRecord else {
        continue
      }
      for mine in Split.allCases {
        guard let last = lastRecordStep(mine) else { continue }
        if mine == split ? first <= last : first < last { return false }
      }
    }
    return true
  }

  /// Appends `later` (read independently, `canAppendIndependently` true) to
  /// this store, emptying it series by series so that the peak memory of the
  /// merge is one series more than the result, not a second copy of it.
  mutating func appendIndependent(_ later: inout SeriesStore) {
    for i in later.slots.indices {
      let s = slot(key: later.slotKey[i], split: later.slotSplit[i])
      slots[s].append(contentsOf: later.slots[i])
      later.slots[i] = Series()
    }
    trainTimes.append(contentsOf: later.trainTimes)
    evalTimes.append(contentsOf: later.evalTimes)
    recordCount += later.recordCount
    if let t = later.lastTrainRecord { lastTrainRecord = t }
    if let e = later.lastEvalRecord { lastEvalRecord = e }
    if let t = later.minTrainRecord { minTrainRecord = Swift.min(minTrainRecord ?? t, t) }
    if let e = later.minEvalRecord { minEvalRecord = Swift.min(minEvalRecord ?? e, e) }
  }

  private mutating func supersede(from step: Int, _ split: Split) {
    // step < the last record's step, so step + 1 cannot overflow.
    for i in slots.indices {
      slots[i].removeAll(atOrAfter: slotSplit[i] == split ? step : step + 1)
    }
    trainTimes.removeAll(atOrAfter: split == .train ? step : step + 1)
    evalTimes.removeAll(atOrAfter: split == .eval ? step : step + 1)
  }

  private func table(_ split: Split) -> [String: Series] {
    let index = split == .train ? trainIndex : evalIndex
    return index.mapValues { slots[$0] }
  }
}

/// All metrics of one run, by split and key, ready for plotting.
///
/// Fed by `TailReader` (incrementally, as a run grows) or by importers. Keys
/// keep the order in which they were first seen, which is the order the
/// run-detail screen lists them in.
public struct SeriesStore: Sendable, Equatable {
  /// Series by key, one dictionary per split.
  public private(set) var train: [String: Series] = [:]
  public private(set) var eval: [String: Series] = [:]
  /// Wall-clock time per step, per split (for replay paced by recorded time).
  public private(set) var trainTimes = Series()
  public private(set) var evalTimes = Series()
  /// Keys in first-seen order, per split.
  public private(set) var trainKeys: [String] = []
  public private(set) var evalKeys: [String] = []
  /// Number of records appended (after superseding, records are still counted once each).
  public private(set) var recordCount = 0

  /// An empty store.
  public init() {}

  /// The series of `key` in `split`, if any point was logged.
  public func series(_ key: String, _ split: Split = .train) -> Series? {
    split == .train ? train[key] : eval[key]
  }

  /// Keys of `split` in first-seen order.
  public func keys(_ split: Split) -> [String] {
    split == .train ? trainKeys : evalKeys
  }

  /// Recorded wall-clock times of `split`.
  public func times(_ split: Split) -> Series {
    split == .train ? trainTimes : evalTimes
  }

  /// The highest step of any record in either split.
  public var lastStep: Int? {
    [
      trainTimes.lastStep, evalTimes.lastStep, train.values.compactMap(\.lastStep).max(),
      eval.values.compactMap(\.lastStep).max(),
    ].compactMap { $0 }.max()
  }

  /// Appends one record.
  public mutating func append(_ record: MetricRecord) {
    recordCount += 1
    switch record.split {
    case .train:
      if let t = record.time { trainTimes.append(step: record.step, value: t) }
      for (k, v) in record.values { Self.add(k, record.step, v, &train, &trainKeys) }
    case .eval:
      if let t = record.time { evalTimes.append(step: record.step, value: t) }
      for (k, v) in record.values { Self.add(k, record.step, v, &eval, &evalKeys) }
    }
  }

  /// Appends one point of `key` directly (used by the fast reader path).
  public mutating func append(key: String, split: Split, step: Int, value: Double) {
    if split == .train {
      Self.add(key, step, value, &train, &trainKeys)
    } else {
      Self.add(key, step, value, &eval, &evalKeys)
    }
  }

  /// Records the wall-clock time of a step directly (fast reader path).
  public mutating func appendTime(split: Split, step: Int, time: Double) {
    if split == .train {
      trainTimes.append(step: step, value: time)
    } else {
      evalTimes.append(step: step, value: time)
    }
  }

  /// Counts one record appended through the fast path.
  public mutating func countRecord() { recordCount += 1 }

  /// Replaces the whole series of `key` (used when merging parallel reads).
  public mutating func setSeries(_ key: String, _ split: Split, _ series: Series) {
    if split == .train {
      if train[key] == nil { trainKeys.append(key) }
      train[key] = series
    } else {
      if eval[key] == nil { evalKeys.append(key) }
      eval[key] = series
    }
  }

  private static func add(
    _ key: String, _ step: Int, _ value: Double, _ table: inout [String: Series],
    _ order: inout [String]
  ) {
    if table[key] == nil { order.append(key) }
    table[key, default: Series()].append(step: step, value: value)
  }
}

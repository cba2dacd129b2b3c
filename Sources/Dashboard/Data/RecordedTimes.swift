import RunLog

/// The wall-clock time of each logged step (what replay paces by), kept
/// compactly: steps as a `StepColumn`, times as 32-bit offsets in seconds
/// from the first record.
///
/// Unix times need 64 bits (a float would round 1.7e9 s to minutes), but a
/// run's times relative to its start do not: a float keeps a 10-day run's
/// offsets to 0.1 s, finer than replay can show. Half the memory of a
/// 64-bit time per step, and the steps cost nothing while evenly spaced.
public struct RecordedTimes: Sendable, Equatable {
  /// Steps with a recorded time, increasing.
  public private(set) var steps = StepColumn()
  /// Unix time of the first record; offsets count from it.
  public private(set) var origin: Double?
  private var offsets: [Float] = []

  /// No times.
  public init() {}

  /// Number of recorded times.
  public var count: Int { steps.count }
  /// True when no time was recorded.
  public var isEmpty: Bool { steps.isEmpty }

  /// The Unix time of entry `i`.
  public func time(at i: Int) -> Double { (origin ?? 0) + Double(offsets[i]) }

  /// Every time as Unix seconds (for a replay timeline).
  public var times: [Double] { (0..<count).map(time(at:)) }

  /// Records `time` for `step`; a step at or before the last supersedes the tail.
  public mutating func append(step: Int, time: Double) {
    guard time.isFinite else { return }
    if let last = steps.last, step <= last {
      let cut = steps.firstIndex(atOrAfter: step)
      steps.removeSuffix(from: cut)
      offsets.removeSubrange(cut...)
    }
    let origin = self.origin ?? time
    self.origin = origin
    steps.append(step)
    offsets.append(Float(time - origin))
  }

  /// Appends every time of `series` (steps and Unix times, as a reader gives them).
  public mutating func append(_ series: Series) {
    offsets.reserveCapacity(offsets.count + series.count)
    for i in 0..<series.count { append(step: series.steps[i], time: series.values[i]) }
  }
}

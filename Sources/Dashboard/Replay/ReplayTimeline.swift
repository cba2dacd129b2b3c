import RunLog

/// What replay moves along: a run's logged steps and, when recorded, the
/// wall-clock time of each.
public struct ReplayTimeline: Sendable, Equatable {
  /// Steps with a record, increasing.
  public var steps: [Int]
  /// Recorded Unix time per entry of `steps` (empty when the run has none).
  public var times: [Double]

  /// A timeline over `steps`, paced by `times` when they are given (same length).
  public init(steps: [Int], times: [Double] = []) {
    self.steps = steps
    self.times = times.count == steps.count ? times : []
  }

  /// The timeline of a run: the steps of its training records and their times.
  public init(_ data: RunData) {
    if let t = data.times[.train], !t.isEmpty {
      self.init(steps: Array(t.steps), times: t.times)
    } else {
      let longest = data.series.filter { $0.key.split == .train }.values
        .max { $0.count < $1.count }
      self.init(steps: longest.map { Array($0.points.steps) } ?? [])
    }
  }

  /// First and last step (0 when empty).
  public var firstStep: Int { steps.first ?? 0 }
  public var lastStep: Int { steps.last ?? 0 }
  /// True when replay can be paced by recorded time.
  public var hasTimes: Bool { !times.isEmpty }

  /// Index of the last entry with a step ≤ `step` (0 when none).
  func index(atOrBefore step: Int) -> Int {
    var lo = 0
    var hi = steps.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if steps[mid] <= step { lo = mid + 1 } else { hi = mid }
    }
    return max(0, lo - 1)
  }

  /// The last step whose recorded time is ≤ `time` (times treated as non-decreasing).
  func step(atTime time: Double) -> Int {
    var lo = 0
    var hi = times.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if times[mid] <= time { lo = mid + 1 } else { hi = mid }
    }
    return lo == 0 ? firstStep : steps[lo - 1]
  }
}

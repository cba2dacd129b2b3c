/// One metric of one run over steps: parallel arrays of steps and values.
///
/// Steps strictly increase. A point for a step at or before the last one (a
/// resumed run repeating steps it had already logged before it was killed)
/// *supersedes* the points from that step on: the old tail is dropped, so a
/// reader never shows a step twice (docs/run-format.md, "Resumed runs";
/// `SeriesStore` applies the same rule across all metrics of a record).
public struct Series: Sendable, Equatable {
  /// Steps, strictly increasing.
  public private(set) var steps: [Int] = []
  /// Values, one per step; may be non-finite.
  public private(set) var values: [Double] = []

  /// An empty series.
  public init() {}

  /// A series from parallel arrays (steps must be strictly increasing).
  public init(steps: [Int], values: [Double]) {
    precondition(steps.count == values.count, "steps and values differ in length")
    self.steps = steps
    self.values = values
  }

  /// Number of points.
  public var count: Int { steps.count }
  /// True when there are no points.
  public var isEmpty: Bool { steps.isEmpty }
  /// The last value, if any.
  public var last: Double? { values.last }
  /// The last step, if any.
  public var lastStep: Int? { steps.last }

  /// Appends a point; a step at or before the last supersedes the tail from that step on.
  public mutating func append(step: Int, value: Double) {
    if let last = steps.last, step <= last {
      let cut = firstIndex(atOrAfter: step)
      steps.removeSubrange(cut...)
      values.removeSubrange(cut...)
    }
    steps.append(step)
    values.append(value)
  }

  /// Drops the points at `step` and after.
  mutating func removeAll(atOrAfter step: Int) {
    let cut = firstIndex(atOrAfter: step)
    if cut < steps.count {
      steps.removeSubrange(cut...)
      values.removeSubrange(cut...)
    }
  }

  /// Appends all points of `other`, whose first step must be after this series' last.
  mutating func append(contentsOf other: Series) {
    steps.reserveCapacity(steps.count + other.count)
    values.reserveCapacity(values.count + other.count)
    steps.append(contentsOf: other.steps)
    values.append(contentsOf: other.values)
  }

  /// Bytes of numeric payload held (steps and values, capacity included).
  var allocatedBytes: Int {
    steps.capacity * MemoryLayout<Int>.stride + values.capacity * MemoryLayout<Double>.stride
  }

  /// Reserves room for `n` more points.
  public mutating func reserve(_ n: Int) {
    steps.reserveCapacity(steps.count + n)
    values.reserveCapacity(values.count + n)
    HugePages.advise(&steps)
    HugePages.advise(&values)
  }

  /// Index of the first point whose step is ≥ `step` (binary search; `count` if none).
  public func firstIndex(atOrAfter step: Int) -> Int {
    var lo = 0
    var hi = steps.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if steps[mid] < step { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }

  /// The last value at or before `step`, if any (what the series showed at that step).
  public func value(atOrBefore step: Int) -> Double? {
    let i = firstIndex(atOrAfter: step + 1)
    return i > 0 ? values[i - 1] : nil
  }

  /// Finite minimum and maximum, or nil when no value is finite.
  public func finiteRange() -> (min: Double, max: Double)? {
    var lo = Double.infinity
    var hi = -Double.infinity
    for v in values where v.isFinite {
      lo = Swift.min(lo, v)
      hi = Swift.max(hi, v)
    }
    return lo <= hi ? (lo, hi) : nil
  }
}

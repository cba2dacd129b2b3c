import RunLog

/// The points of one plotted series, kept compactly: steps as logged, values
/// as 32-bit floats.
///
/// The dashboard holds every point of every run it shows (six 1M-step runs
/// are 66 million points), so the value width decides its memory. A chart is
/// at most a few hundred rows high, and 32-bit floats carry about seven
/// significant digits, the width TensorBoard itself stores scalars in.
/// Only `last` keeps the full 64-bit value, because the run-detail screen
/// prints the latest value of every metric as logged. `RunLog.Series` stays
/// 64-bit: readers and `summary` give exact values, and wall-clock times
/// (1.7e9 s) would lose minutes in a float.
public struct PlotPoints: Sendable, Equatable {
  /// Steps, strictly increasing (often one array shared by a run's series).
  public private(set) var steps: [Int] = []
  /// Values, one per step, narrowed by `narrow`; may be non-finite.
  public private(set) var values: [Float] = []
  /// The last value exactly as logged.
  public private(set) var last: Double?

  /// No points.
  public init() {}

  /// The points of `series`.
  public init(_ series: Series) {
    self.init(steps: series.steps, values: series.values.map(Self.narrow))
    last = series.last
  }

  /// Points from parallel arrays (steps strictly increasing, equal lengths).
  public init(steps: [Int], values: [Float]) {
    precondition(steps.count == values.count, "steps and values differ in length")
    self.steps = steps
    self.values = values
    last = values.last.map(Double.init)
  }

  /// Points from parallel arrays whose last value is known exactly (a
  /// smoothed series: its accumulator continues from it on the next append).
  init(steps: [Int], values: [Float], last: Double?) {
    self.init(steps: steps, values: values)
    if !values.isEmpty { self.last = last }
  }

  /// A value as stored: a finite value beyond the float range is clamped to
  /// the largest float rather than turning into an infinity, so a chart never
  /// shows a finite value as non-finite.
  @inline(__always)
  public static func narrow(_ v: Double) -> Float {
    let f = Float(v)
    guard f.isInfinite, v.isFinite else { return f }
    return v > 0 ? .greatestFiniteMagnitude : -.greatestFiniteMagnitude
  }

  /// Number of points.
  public var count: Int { steps.count }
  /// True when there are no points.
  public var isEmpty: Bool { steps.isEmpty }
  /// The last step, if any.
  public var lastStep: Int? { steps.last }

  /// The value of point `i` (as stored).
  public func value(at i: Int) -> Double { Double(values[i]) }

  /// Appends a point; a step at or before the last supersedes the tail from that step on.
  public mutating func append(step: Int, value: Double) {
    if let lastStep = steps.last, step <= lastStep {
      let cut = firstIndex(atOrAfter: step)
      steps.removeSubrange(cut...)
      values.removeSubrange(cut...)
    }
    steps.append(step)
    values.append(Self.narrow(value))
    last = value
  }

  /// Appends `other`'s points as stored; its first step at or before the
  /// last supersedes the tail from that step on.
  public mutating func append(contentsOf other: PlotPoints) {
    guard let first = other.steps.first else { return }
    if let lastStep = steps.last, first <= lastStep {
      let cut = firstIndex(atOrAfter: first)
      steps.removeSubrange(cut...)
      values.removeSubrange(cut...)
    }
    steps.append(contentsOf: other.steps)
    values.append(contentsOf: other.values)
    last = other.last
  }

  /// Reserves room for `n` more points.
  public mutating func reserve(_ n: Int) {
    steps.reserveCapacity(steps.count + n)
    values.reserveCapacity(values.count + n)
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

  /// Bytes of numeric payload held (capacity included; a shared steps array
  /// is counted by every series that shares it).
  public var allocatedBytes: Int {
    steps.capacity * MemoryLayout<Int>.stride + values.capacity * MemoryLayout<Float>.stride
  }
}

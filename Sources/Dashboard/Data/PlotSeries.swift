import RunLog

/// A series ready to plot: the points plus a min/max index over them.
public struct PlotSeries: Sendable, Equatable {
  /// The points.
  public private(set) var points = PlotPoints()
  /// Range index over `points.values`.
  public private(set) var index = MinMaxIndex()
  /// Indices of the NaN and ±Inf points, in order: charts mark them at
  /// their steps instead of dropping them, without a pass over every point
  /// per frame (kept up to date on append, like the index).
  public private(set) var nonFinite: [Int] = []

  /// An empty series.
  public init() {}

  /// A plot series over `points`.
  public init(_ points: PlotPoints) {
    self.points = points
    index = MinMaxIndex(points.values)
    noteNonFinite(from: 0)
  }

  /// A plot series over the points of `series`.
  public init(_ series: Series) {
    self.init(PlotPoints(series))
  }

  /// Appends points (steps in order; an earlier step supersedes the tail).
  public mutating func append(steps: [Int], values: [Double]) {
    guard let first = steps.first else { return }
    let changed = min(points.count, points.firstIndex(atOrAfter: first))
    points.reserve(steps.count)
    for i in 0..<min(steps.count, values.count) {
      points.append(step: steps[i], value: values[i])
    }
    index.update(points.values, from: changed)
    noteNonFinite(from: changed)
  }

  /// Appends the points of `other`.
  public mutating func append(_ other: Series) {
    // The first delta (a whole file on load) is taken as is: one narrowing
    // copy of its values, and its steps array is shared with the reader's.
    if points.isEmpty {
      self = PlotSeries(other)
      return
    }
    append(steps: other.steps, values: other.values)
  }

  /// Appends already-compact points (a derived or smoothed series).
  mutating func append(_ other: PlotPoints) {
    if points.isEmpty {
      self = PlotSeries(other)
      return
    }
    guard let first = other.steps.first else { return }
    let changed = min(points.count, points.firstIndex(atOrAfter: first))
    points.append(contentsOf: other)
    index.update(points.values, from: changed)
    noteNonFinite(from: changed)
  }

  /// Whether any point is NaN or ±Inf.
  public var hasNonFinite: Bool { !nonFinite.isEmpty }

  /// Re-lists the non-finite points from index `changed` on (the tail a
  /// resumed run superseded, and what was appended).
  private mutating func noteNonFinite(from changed: Int) {
    while let last = nonFinite.last, last >= changed { nonFinite.removeLast() }
    points.values.withUnsafeBufferPointer { v in
      for i in changed..<v.count where !v[i].isFinite { nonFinite.append(i) }
    }
  }

  /// Number of points.
  public var count: Int { points.count }

  /// The index range of points with steps in `range`.
  public func indices(in range: ClosedRange<Int>) -> Range<Int> {
    let lo = points.firstIndex(atOrAfter: range.lowerBound)
    let hi =
      range.upperBound == Int.max
      ? points.count : points.firstIndex(atOrAfter: range.upperBound + 1)
    return lo..<max(lo, hi)
  }

  /// Finite min/max of the points with steps in `range`.
  public func valueRange(in range: ClosedRange<Int>) -> (min: Double, max: Double)? {
    index.range(of: points.values, indices(in: range))
  }

  /// The last finite value at or before `step` (the exact logged value when
  /// that is the last point).
  public func lastFinite(atOrBefore step: Int = Int.max) -> Double? {
    var i = indices(in: Int.min...step).upperBound - 1
    if i >= 0, i == points.count - 1, let last = points.last, last.isFinite { return last }
    // Looking back a bounded way keeps a run of NaNs from costing a full pass.
    let stop = max(0, i - 1000)
    while i >= stop {
      if points.values[i].isFinite { return points.value(at: i) }
      i -= 1
    }
    return nil
  }
}

import RunLog

/// A series ready to plot: the points plus a min/max index over them.
public struct PlotSeries: Sendable, Equatable {
  /// The points.
  public private(set) var series = Series()
  /// Range index over `series.values`.
  public private(set) var index = MinMaxIndex()

  /// An empty series.
  public init() {}

  /// A plot series over `series`.
  public init(_ series: Series) {
    self.series = series
    index = MinMaxIndex(series.values)
  }

  /// Appends points (steps in order; an earlier step supersedes the tail).
  public mutating func append(steps: [Int], values: [Double]) {
    guard let first = steps.first else { return }
    let changed = min(series.count, series.firstIndex(atOrAfter: first))
    series.reserve(steps.count)
    for i in 0..<min(steps.count, values.count) {
      series.append(step: steps[i], value: values[i])
    }
    index.update(series.values, from: changed)
  }

  /// Appends the points of `other`.
  public mutating func append(_ other: Series) {
    // The first delta (a whole file on load) is taken as is: no copy, and
    // its arrays are shared with the reader's store until either changes.
    if series.isEmpty {
      self = PlotSeries(other)
      return
    }
    append(steps: other.steps, values: other.values)
  }

  /// Number of points.
  public var count: Int { series.count }

  /// The index range of points with steps in `range`.
  public func indices(in range: ClosedRange<Int>) -> Range<Int> {
    let lo = series.firstIndex(atOrAfter: range.lowerBound)
    let hi =
      range.upperBound == Int.max
      ? series.count : series.firstIndex(atOrAfter: range.upperBound + 1)
    return lo..<max(lo, hi)
  }

  /// Finite min/max of the points with steps in `range`.
  public func valueRange(in range: ClosedRange<Int>) -> (min: Double, max: Double)? {
    index.range(of: series.values, indices(in: range))
  }

  /// The last finite value at or before `step`.
  public func lastFinite(atOrBefore step: Int = Int.max) -> Double? {
    var i = indices(in: Int.min...step).upperBound - 1
    // Looking back a bounded way keeps a run of NaNs from costing a full pass.
    let stop = max(0, i - 1000)
    while i >= stop {
      if series.values[i].isFinite { return series.values[i] }
      i -= 1
    }
    return nil
  }
}

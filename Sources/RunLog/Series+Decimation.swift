/// One bucket of a decimated series: the extremes and ends of the points in it.
public struct SeriesBucket: Sendable, Equatable {
  /// First and last step covered by points in this bucket.
  public var firstStep: Int
  public var lastStep: Int
  /// Smallest and largest finite value (NaN when the bucket holds no finite value).
  public var min: Double
  public var max: Double
  /// Value of the first and last point (may be non-finite).
  public var first: Double
  public var last: Double
  /// Number of points, and how many of them were non-finite.
  public var count: Int
  public var nonFinite: Int
}

extension Series {
  /// Splits the points with steps in `range` (all points if nil) into
  /// `buckets` equal step intervals and keeps min, max, first and last of each.
  ///
  /// Plotting min and max per pixel column draws a million points exactly as
  /// they look (every spike stays visible) at the cost of one pass over the
  /// points in range. Empty intervals are omitted, so the result has at most
  /// `buckets` entries, ordered by step.
  public func decimated(buckets: Int, range: ClosedRange<Int>? = nil) -> [SeriesBucket] {
    guard buckets > 0, !steps.isEmpty else { return [] }
    let lo = range.map { firstIndex(atOrAfter: $0.lowerBound) } ?? 0
    let hi = range.map { firstIndex(atOrAfter: $0.upperBound &+ 1) } ?? steps.count
    guard lo < hi else { return [] }
    let s0 = Double(range?.lowerBound ?? steps[lo])
    let s1 = Double(range?.upperBound ?? steps[hi - 1])
    let width = Swift.max(s1 - s0, 1) / Double(buckets)
    var out: [SeriesBucket] = []
    out.reserveCapacity(Swift.min(buckets, hi - lo))
    steps.withUnsafeBufferPointer { st in
      values.withUnsafeBufferPointer { va in
        var i = lo
        while i < hi {
          var b = Int((Double(st[i]) - s0) / width)
          b = Swift.min(Swift.max(b, 0), buckets - 1)
          // End of this bucket's step interval; points up to it belong here.
          let bucketEnd = s0 + Double(b + 1) * width
          var bucket = SeriesBucket(
            firstStep: st[i], lastStep: st[i], min: .nan, max: .nan, first: va[i], last: va[i],
            count: 0, nonFinite: 0)
          var mn = Double.infinity
          var mx = -Double.infinity
          var bad = 0
          let start = i
          while i < hi && (b == buckets - 1 || Double(st[i]) < bucketEnd) {
            let v = va[i]
            if v.isFinite {
              if v < mn { mn = v }
              if v > mx { mx = v }
            } else {
              bad += 1
            }
            i += 1
          }
          bucket.count = i - start
          bucket.nonFinite = bad
          bucket.lastStep = st[i - 1]
          bucket.last = va[i - 1]
          if mn <= mx {
            bucket.min = mn
            bucket.max = mx
          }
          out.append(bucket)
        }
      }
    }
    return out
  }
}

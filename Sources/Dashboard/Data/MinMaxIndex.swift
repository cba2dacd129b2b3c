/// A pyramid of finite minima and maxima over a value array, so the range of
/// any slice is found in O(log n) instead of a pass over the slice.
///
/// Level k holds one (min, max) per block of `fanout^(k+1)` values. A query
/// scans at most `fanout - 1` entries at each end of each level, so a chart
/// column over 10 000 points costs ~100 reads, not 10 000: this is what lets
/// a frame of six 1M-step runs draw in a few milliseconds. Appends rebuild
/// only the blocks they touch.
public struct MinMaxIndex: Sendable, Equatable {
  /// Values per block at each level.
  static let fanout = 16
  /// (min, max) per block per level; NaN for blocks with no finite value.
  private(set) var mins: [[Double]] = []
  private(set) var maxs: [[Double]] = []

  /// An empty index.
  public init() {}

  /// An index over `values`.
  public init(_ values: [Double]) { update(values, from: 0) }

  /// Rebuilds the blocks covering `values[from...]` (after an append or a cut).
  public mutating func update(_ values: [Double], from: Int) {
    let f = Self.fanout
    guard !values.isEmpty else {
      mins = []
      maxs = []
      return
    }
    var start = max(0, min(from, values.count)) / f
    var below = values.count
    var level = 0
    while below > 1 {
      let count = (below + f - 1) / f
      if level == mins.count {
        mins.append([])
        maxs.append([])
      }
      start = min(start, mins[level].count)
      mins[level].removeSubrange(start...)
      maxs[level].removeSubrange(start...)
      mins[level].reserveCapacity(count)
      maxs[level].reserveCapacity(count)
      for b in start..<count {
        let r = b * f..<min(below, (b + 1) * f)
        let (lo, hi) =
          level == 0
          ? Self.scan(values, r, values) : Self.scan(mins[level - 1], r, maxs[level - 1])
        mins[level].append(lo <= hi ? lo : .nan)
        maxs[level].append(lo <= hi ? hi : .nan)
      }
      below = count
      start /= f
      level += 1
    }
    if level < mins.count {
      mins.removeSubrange(level...)
      maxs.removeSubrange(level...)
    }
  }

  /// Finite minimum and maximum of `values[range]`, or nil when none is finite.
  ///
  /// `values` must be the array this index was last updated with.
  public func range(of values: [Double], _ range: Range<Int>) -> (min: Double, max: Double)? {
    var lo = max(0, range.lowerBound)
    var hi = min(values.count, range.upperBound)
    guard lo < hi else { return nil }
    let f = Self.fanout
    var mn = Double.infinity
    var mx = -Double.infinity
    func take(_ r: (Double, Double)) {
      mn = Swift.min(mn, r.0)
      mx = Swift.max(mx, r.1)
    }
    var level = -1
    while lo < hi {
      let lmin = level < 0 ? values : mins[level]
      let lmax = level < 0 ? values : maxs[level]
      if hi - lo < 2 * f || level + 1 >= mins.count {
        take(Self.scan(lmin, lo..<hi, lmax))
        break
      }
      let alo = (lo + f - 1) / f * f
      let ahi = hi / f * f
      take(Self.scan(lmin, lo..<alo, lmax))
      take(Self.scan(lmin, ahi..<hi, lmax))
      lo = alo / f
      hi = ahi / f
      level += 1
    }
    return mn <= mx ? (mn, mx) : nil
  }

  /// Smallest of `mins[r]` and largest of `maxs[r]`, skipping non-finite entries.
  @inline(__always)
  private static func scan(_ mins: [Double], _ r: Range<Int>, _ maxs: [Double]) -> (
    Double, Double
  ) {
    var lo = Double.infinity
    var hi = -Double.infinity
    mins.withUnsafeBufferPointer { a in
      maxs.withUnsafeBufferPointer { b in
        for i in r where a[i].isFinite {
          if a[i] < lo { lo = a[i] }
          if b[i] > hi { hi = b[i] }
        }
      }
    }
    return (lo, hi)
  }
}

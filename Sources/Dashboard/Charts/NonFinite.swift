import RunLog

/// The non-finite values a chart marks instead of dropping: NaN, +Inf and
/// -Inf, each a glyph at its step on the chart's edge, counted in the legend.
enum NonFinite: Int, Sendable, CaseIterable {
  case nan, positive, negative

  init?(_ v: Float) {
    if v.isNaN {
      self = .nan
    } else if v == .infinity {
      self = .positive
    } else if v == -.infinity {
      self = .negative
    } else {
      return nil
    }
  }

  /// The marker: +Inf on the top edge, -Inf on the bottom, NaN on the top
  /// (it has no side; the glyph differs).
  func glyph(ascii: Bool) -> Character {
    switch self {
    case .nan: return ascii ? "?" : "×"
    case .positive: return ascii ? "^" : "▲"
    case .negative: return ascii ? "v" : "▼"
    }
  }

  var label: String {
    switch self {
    case .nan: return "NaN"
    case .positive: return "+Inf"
    case .negative: return "-Inf"
    }
  }

  var atTop: Bool { self != .negative }

  /// What marks them: the theme's alarm colour.
  static let style = Style(.bad, bold: true)
}

extension PlotSeries {
  /// The indices into `nonFinite` of the points with steps in `range`.
  func nonFiniteSpan(in range: ClosedRange<Int>) -> Range<Int> {
    let points = indices(in: range)
    func firstAtOrAfter(_ i: Int) -> Int {
      var lo = 0
      var hi = nonFinite.count
      while lo < hi {
        let mid = (lo + hi) / 2
        if nonFinite[mid] < i { lo = mid + 1 } else { hi = mid }
      }
      return lo
    }
    return firstAtOrAfter(points.lowerBound)..<firstAtOrAfter(points.upperBound)
  }
}

extension RunEntry {
  /// True when the run's loss (training or held-out) went NaN or ±Inf at or
  /// before `step`: the runs pane marks it "diverged".
  public func diverged(asOf step: Int? = nil) -> Bool {
    for split in Split.allCases {
      guard let s = data.series[SeriesID(MetricKey.loss, split)], let i = s.nonFinite.first
      else { continue }
      if s.points.steps[i] <= step ?? Int.max { return true }
    }
    return false
  }
}

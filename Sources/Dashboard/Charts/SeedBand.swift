import RunLog

/// The compare view's line for runs that differ only in seed: their mean at
/// each step, and the min–max band around it.
struct SeedAggregate {
  var mean: PlotSeries
  var low: PlotSeries
  var high: PlotSeries

  /// The aggregate of `series` (one per seed) at the steps of the first;
  /// at each step, over the seeds that logged a finite value there.
  ///
  /// Costs a binary search per step and seed: meant for the few runs a
  /// compare view marks, not for every run of a 10 000-run list.
  init?(_ series: [PlotSeries]) {
    guard let first = series.first, !first.points.isEmpty else { return nil }
    var steps: [Int] = []
    var mean: [Float] = []
    var low: [Float] = []
    var high: [Float] = []
    let n = first.points.count
    steps.reserveCapacity(n)
    var cursors = Array(repeating: 0, count: series.count)
    for i in 0..<n {
      let step = first.points.steps[i]
      var sum = 0.0
      var count = 0
      var lo = Double.infinity
      var hi = -Double.infinity
      for (k, s) in series.enumerated() {
        let p = s.points
        // Steps only grow: each seed's position moves forward from the last.
        var j = cursors[k]
        while j < p.count && p.steps[j] < step { j += 1 }
        cursors[k] = j
        guard j < p.count, p.steps[j] == step else { continue }
        let v = p.value(at: j)
        guard v.isFinite else { continue }
        sum += v
        count += 1
        lo = min(lo, v)
        hi = max(hi, v)
      }
      guard count > 0 else { continue }
      steps.append(step)
      mean.append(PlotPoints.narrow(sum / Double(count)))
      low.append(PlotPoints.narrow(lo))
      high.append(PlotPoints.narrow(hi))
    }
    guard !steps.isEmpty else { return nil }
    self.mean = PlotSeries(PlotPoints(steps: steps, values: mean))
    self.low = PlotSeries(PlotPoints(steps: steps, values: low))
    self.high = PlotSeries(PlotPoints(steps: steps, values: high))
  }
}

/// A filled band between two series of the same steps, drawn under the
/// lines in a lighter shade (braille dots, dim) or a distinct glyph (ASCII).
struct ChartBand {
  var low: PlotSeries
  var high: PlotSeries
  var style: Style
  /// The ASCII fill glyph (braille fills dots).
  static let asciiGlyph: Character = ":"
}

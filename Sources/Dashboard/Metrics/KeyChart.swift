import RunLog

extension ChartModel {
  /// The chart of one logged key for the state's chart runs: its training
  /// and held-out series, the held-out one on top (and the one the compare
  /// view keeps, as for the log-ratio). The metrics screen and figures of
  /// any key (`dpotop plot --chart KEY`) both draw this.
  static func key(_ key: String, _ state: DashboardState) -> ChartModel {
    let specs = [
      LineSpec(label: "train", kind: 0, compareRank: 1) { d, s in
        d.plot(SeriesID(key, .train), smooth: s)
      },
      LineSpec(label: "held-out", kind: 1, heldOut: true, compareRank: 0) { d, s in
        d.plot(SeriesID(key, .eval), smooth: s)
      },
    ]
    return ChartModel.build(
      title: key, specs: specs, zeroLine: false, notes: [], emptyNote: "not logged",
      logged: {
        $0.series[SeriesID(key, .train)] != nil || $0.series[SeriesID(key, .eval)] != nil
      },
      state: state)
  }

  /// What to say instead of a flat line: "logged once: V at step S" when
  /// every line holds one point (the same one), "constant V" when every
  /// finite value of every line is the same; nil when the chart has a shape.
  /// Reads each line's min/max index, not its points.
  var flatNote: String? {
    guard !lines.isEmpty else { return nil }
    var lo = Double.infinity
    var hi = -Double.infinity
    var points = 0
    var steps = Set<Int>()
    for line in lines {
      points += line.data.count
      if let s = line.data.points.lastStep { steps.insert(s) }
      if let r = line.data.valueRange(in: Int.min...Int.max) {
        lo = min(lo, r.min)
        hi = max(hi, r.max)
      }
    }
    // Non-finite points have a story of their own: draw them.
    guard lo <= hi, !lines.contains(where: { $0.data.hasNonFinite }) else { return nil }
    let value = NumberFormat.compact(lo)
    if points == lines.count, steps.count == 1, lo == hi, let step = steps.first {
      return "logged once: \(value) at step \(NumberFormat.step(step))"
    }
    guard lo == hi else { return nil }
    return "constant \(value)"
  }
}

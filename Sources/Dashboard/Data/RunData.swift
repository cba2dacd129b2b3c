import RunLog

/// Names one series of a run: a split and a metric key.
public struct SeriesID: Sendable, Hashable {
  public var split: Split
  public var key: String

  /// The series of `key` in `split`.
  public init(_ key: String, _ split: Split = .train) {
    self.key = key
    self.split = split
  }
}

/// All metrics of one run as the dashboard keeps them: indexed for plotting,
/// plus the series it derives (the chosen log-ratio) and, when smoothing is
/// on, their moving averages.
///
/// Built only by merging `SeriesStore` deltas, so the live path (a few new
/// records) and the load path (a whole file) are the same code.
public struct RunData: Sendable, Equatable {
  /// Keys per split, in first-seen order (the run-detail screen lists them so).
  public private(set) var keys: [Split: [String]] = [:]
  /// Every logged series.
  public private(set) var series: [SeriesID: PlotSeries] = [:]
  /// Recorded wall-clock time per step, per split (replay pacing).
  public private(set) var times: [Split: RecordedTimes] = [:]
  /// log πθ(yw|x) − log πref(yw|x) per split (train, eval).
  public private(set) var chosenLogRatio: [Split: PlotSeries] = [:]
  /// True when the log-ratio had to be derived as rewards/chosen ÷ β.
  public private(set) var logRatioFromRewards = false
  /// Smoothed copies of `series` and `chosenLogRatio` (when smoothing is on).
  public private(set) var smoothed: [SeriesID: PlotSeries] = [:]
  public private(set) var smoothedLogRatio: [Split: PlotSeries] = [:]
  /// The EMA weight `smoothed` was computed with (nil: smoothing off).
  public private(set) var smoothingWeight: Double?
  /// Records merged so far.
  public private(set) var recordCount = 0

  /// No data yet.
  public init() {}

  /// The highest step logged in any series.
  public var lastStep: Int? {
    series.values.compactMap { $0.points.lastStep }.max()
  }

  /// The lowest step logged in any series.
  public var firstStep: Int? {
    series.values.compactMap { $0.points.steps.first }.min()
  }

  /// The series of `id`, smoothed when smoothing is on and `smooth` asks for it.
  public func plot(_ id: SeriesID, smooth: Bool = false) -> PlotSeries? {
    if smooth, smoothingWeight != nil, let s = smoothed[id] { return s }
    return series[id]
  }

  /// The chosen log-ratio of `split`, smoothed on request.
  public func logRatio(_ split: Split, smooth: Bool = false) -> PlotSeries? {
    if smooth, smoothingWeight != nil, let s = smoothedLogRatio[split] { return s }
    return chosenLogRatio[split]
  }

  /// Merges what a reader found since the last delta (`beta` derives the
  /// log-ratio when the run has no reference log-probs).
  public mutating func merge(_ delta: SeriesStore, beta: Double?) {
    recordCount += delta.recordCount
    for split in Split.allCases {
      for key in delta.keys(split) {
        guard let s = delta.series(key, split), !s.isEmpty else { continue }
        let id = SeriesID(key, split)
        if series[id] == nil { keys[split, default: []].append(key) }
        series[id, default: PlotSeries()].append(s)
      }
      let t = delta.times(split)
      if !t.isEmpty { times[split, default: RecordedTimes()].append(t) }
      deriveLogRatio(split, from: delta, beta: beta)
    }
    if let w = smoothingWeight { smooth(weight: w, from: delta) }
  }

  /// Turns smoothing on with EMA `weight` (0 ≤ weight < 1), or off with nil.
  public mutating func setSmoothing(_ weight: Double?) {
    guard weight != smoothingWeight else { return }
    smoothingWeight = weight
    smoothed = [:]
    smoothedLogRatio = [:]
    guard let w = weight else { return }
    for (id, s) in series { smoothed[id] = PlotSeries(Self.ema(s.points, weight: w)) }
    for (split, s) in chosenLogRatio {
      smoothedLogRatio[split] = PlotSeries(Self.ema(s.points, weight: w))
    }
  }

  /// Exponential moving average: `s = w·s + (1 − w)·x`, skipping non-finite
  /// points (accumulated in 64 bits, stored like any plotted value).
  ///
  /// The result has `p`'s steps: smoothing a 1M-step run costs its values
  /// (4 MB a series).
  public static func ema(_ p: PlotPoints, weight: Double, start: Double? = nil) -> PlotPoints {
    var values = [Float](repeating: 0, count: p.count)
    var acc = start ?? .nan
    p.values.withUnsafeBufferPointer { x in
      values.withUnsafeMutableBufferPointer { out in
        for i in 0..<x.count {
          let v = Double(x[i])
          if v.isFinite { acc = acc.isNaN ? v : weight * acc + (1 - weight) * v }
          out[i] = PlotPoints.narrow(acc.isNaN ? v : acc)
        }
      }
    }
    return PlotPoints(steps: p.steps, values: values, last: acc.isNaN ? p.last : acc)
  }

  private mutating func deriveLogRatio(_ split: Split, from delta: SeriesStore, beta: Double?) {
    let chosenID = SeriesID(MetricKey.logpsChosen, split)
    let refID = SeriesID(MetricKey.logpsRefChosen, split)
    if let chosen = series[chosenID], let ref = series[refID] {
      // Recompute from the first step either input changed at.
      let starts = [
        delta.series(MetricKey.logpsChosen, split)?.steps.first,
        delta.series(MetricKey.logpsRefChosen, split)?.steps.first,
      ].compactMap { $0 }
      guard let from = starts.min() else { return }
      if split == .train { logRatioFromRewards = false }
      // The difference is taken from the delta's 64-bit values where it holds
      // both points (always, when a run logs both keys in one record), so the
      // ratio is not the difference of two rounded log-probs.
      let exactC = delta.series(MetricKey.logpsChosen, split)
      let exactR = delta.series(MetricKey.logpsRefChosen, split)
      var steps = StepColumn()
      var values: [Float] = []
      let c = chosen.points
      let r = ref.points
      var j = r.firstIndex(atOrAfter: from)
      for i in c.firstIndex(atOrAfter: from)..<c.count {
        let step = c.steps[i]
        while j < r.count && r.steps[j] < step { j += 1 }
        guard j < r.count && r.steps[j] == step else { continue }
        let cv = Self.exact(exactC, step) ?? c.value(at: i)
        let rv = Self.exact(exactR, step) ?? r.value(at: j)
        steps.append(step)
        values.append(PlotPoints.narrow(cv - rv))
      }
      chosenLogRatio[split, default: PlotSeries()].append(PlotPoints(steps: steps, values: values))
    } else if series[refID] == nil, let beta, beta != 0, beta.isFinite,
      let rewards = delta.series(MetricKey.rewardsChosen, split)
    {
      if split == .train { logRatioFromRewards = true }
      chosenLogRatio[split, default: PlotSeries()].append(
        steps: rewards.steps, values: rewards.values.map { $0 / beta })
    }
  }

  /// The 64-bit value `s` holds at exactly `step`, if it holds one.
  private static func exact(_ s: Series?, _ step: Int) -> Double? {
    guard let s, let first = s.steps.first, step >= first else { return nil }
    // Deltas are merged whole and in order: the index is usually `step - first`.
    let (guess, overflow) = step.subtractingReportingOverflow(first)
    let i =
      !overflow && guess < s.count && s.steps[guess] == step
      ? guess : s.firstIndex(atOrAfter: step)
    return i < s.count && s.steps[i] == step ? s.values[i] : nil
  }

  private mutating func smooth(weight: Double, from delta: SeriesStore) {
    for split in Split.allCases {
      var firsts: [Int] = []
      for key in delta.keys(split) {
        let id = SeriesID(key, split)
        guard let s = series[id], let first = delta.series(key, split)?.steps.first else {
          continue
        }
        firsts.append(first)
        smoothed[id] = Self.extend(smoothed[id], s.points, changedFrom: first, weight: weight)
      }
      if let r = chosenLogRatio[split], let first = firsts.min() {
        smoothedLogRatio[split] = Self.extend(
          smoothedLogRatio[split], r.points, changedFrom: first, weight: weight)
      }
    }
  }

  /// The smoothed series extended over the points of `raw` from step
  /// `changedFrom` on; recomputed whole when the change reaches back into
  /// what was already smoothed (a resumed run superseding its tail).
  private static func extend(
    _ old: PlotSeries?, _ raw: PlotPoints, changedFrom: Int, weight: Double
  ) -> PlotSeries {
    guard var old, let last = old.points.lastStep, let lastValue = old.points.last,
      changedFrom > last
    else { return PlotSeries(ema(raw, weight: weight)) }
    let from = raw.firstIndex(atOrAfter: last + 1)
    guard from < raw.count else { return old }
    let tail = PlotPoints(steps: raw.steps.suffix(from: from), values: Array(raw.values[from...]))
    old.append(ema(tail, weight: weight, start: lastValue.isFinite ? lastValue : nil))
    return old
  }
}

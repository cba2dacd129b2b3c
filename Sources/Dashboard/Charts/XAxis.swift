import RunLog

/// What the charts' x axis measures (`x` cycles it).
public enum XAxis: String, Sendable, CaseIterable {
  /// Training steps (the default).
  case step
  /// Seconds since the run's first record (from each record's `time`).
  case relative
  /// Wall-clock time of each record.
  case wall
  /// Tokens seen (TRL's `num_tokens`), where a run logs them.
  case tokens

  /// The next mode for `x`.
  var next: XAxis {
    let all = Self.allCases
    return all[(all.firstIndex(of: self)! + 1) % all.count]
  }

  /// How the axis is labelled.
  var label: String {
    switch self {
    case .step: return "step"
    case .relative: return "time since start"
    case .wall: return "wall clock"
    case .tokens: return "tokens"
    }
  }
}

/// One run's steps in the units of an x axis other than steps: each point
/// is placed at the time (or token count) logged at its step, or the last
/// one before it. Built per frame for the few chart runs; O(points).
struct XAxisMap {
  /// TRL's count of tokens seen (W&B prefixes it with `train/`).
  static let tokensKey = "num_tokens"

  let axis: XAxis
  /// Steps with a known x, increasing, and the x at each.
  private var steps: [Int] = []
  private var xs: [Int] = []

  /// The map of `data` for `axis`; nil when the run does not log what the
  /// axis needs (no times, no `num_tokens`).
  init?(_ data: RunData, _ axis: XAxis) {
    self.axis = axis
    switch axis {
    case .step: return nil
    case .relative, .wall:
      guard let times = data.times[.train] ?? data.times[.eval], let origin = times.origin,
        !times.isEmpty
      else { return nil }
      steps.reserveCapacity(times.count)
      for i in 0..<times.count {
        steps.append(times.steps[i])
        // Relative time in milliseconds (runs log many steps a second);
        // wall-clock time in seconds.
        let x = axis == .relative ? (times.time(at: i) - origin) * 1000 : times.time(at: i)
        xs.append(Int(x.rounded()))
      }
    case .tokens:
      let series =
        data.series[SeriesID(Self.tokensKey, .train)]
        ?? data.series[SeriesID("train/" + Self.tokensKey, .train)]
      guard let points = series?.points, !points.isEmpty else { return nil }
      for i in 0..<points.count where points.values[i].isFinite {
        steps.append(points.steps[i])
        xs.append(Int(min(max(Double(points.values[i]), -1e15), 1e15)))
      }
      guard !steps.isEmpty else { return nil }
    }
  }

  /// The x of `step`: the value at the last known step at or before it
  /// (the first, before any).
  func x(at step: Int) -> Int {
    var lo = 0
    var hi = steps.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if steps[mid] <= step { lo = mid + 1 } else { hi = mid }
    }
    return xs[max(0, lo - 1)]
  }

  /// `series` placed along this axis. Points that land on the x of the one
  /// before (two steps logged in the same millisecond, tokens not counted
  /// yet) keep the later value.
  func remap(_ series: PlotSeries) -> PlotSeries {
    let p = series.points
    var outSteps: [Int] = []
    var outValues: [Float] = []
    outSteps.reserveCapacity(p.count)
    outValues.reserveCapacity(p.count)
    var k = 0
    for i in 0..<p.count {
      let step = p.steps[i]
      while k + 1 < steps.count && steps[k + 1] <= step { k += 1 }
      var x = xs[k]
      // Keep x increasing even if a log's times or token counts go back.
      if let last = outSteps.last, x <= last {
        if x == last {
          outValues[outValues.count - 1] = p.values[i]
          continue
        }
        x = last + 1
      }
      outSteps.append(x)
      outValues.append(p.values[i])
    }
    return PlotSeries(PlotPoints(steps: outSteps, values: outValues))
  }

  /// An x-axis label for `x` on an axis spanning `span`.
  static func label(_ x: Int, axis: XAxis, span: Int) -> String {
    switch axis {
    case .step: return NumberFormat.step(x)
    case .relative: return duration(milliseconds: x, span: span)
    case .wall: return clock(x, span: span)
    case .tokens:
      guard abs(x) >= 1_000_000_000 else { return NumberFormat.step(x) }
      return NumberFormat.trimZero(NumberFormat.fixed(Double(x) / 1e9, 2)) + "G"
    }
  }

  /// `850ms`, `12.5s`, `4m05s`, `2h10m`, `3d04h`: as precise as the span needs.
  static func duration(milliseconds ms: Int, span: Int) -> String {
    let sign = ms < 0 ? "-" : ""
    let ms = abs(ms)
    if span < 2000 && ms < 1000 { return sign + "\(ms)ms" }
    let s = ms / 1000
    if s < 60 {
      return sign
        + (span < 20_000 ? NumberFormat.trimZero(NumberFormat.fixed(Double(ms) / 1000, 1)) : "\(s)")
        + "s"
    }
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    if s < 3600 { return sign + "\(s / 60)m" + two(s % 60) + "s" }
    if s < 86_400 { return sign + "\(s / 3600)h" + two(s / 60 % 60) + "m" }
    return sign + "\(s / 86_400)d" + two(s / 3600 % 24) + "h"
  }

  /// `14:05` (UTC: the same on every machine that watches the run), with
  /// seconds when the span is under ten minutes and the day when over two days.
  static func clock(_ t: Int, span: Int) -> String {
    let day = Int((Double(t) / 86_400).rounded(.down))
    let s = t - day * 86_400
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    var text = two(s / 3600) + ":" + two(s / 60 % 60)
    if span < 600 { text += ":" + two(s % 60) }
    if span > 2 * 86_400 {
      // Days since the epoch to a month and day (civil calendar, UTC).
      let z = day + 719_468
      let era = (z >= 0 ? z : z - 146_096) / 146_097
      let doe = z - era * 146_097
      let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
      let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
      let mp = (5 * doy + 2) / 153
      let d = doy - (153 * mp + 2) / 5 + 1
      let m = mp < 10 ? mp + 3 : mp - 9
      text = two(m) + "-" + two(d)
    }
    return text
  }
}

/// A run's `XAxisMap` and what it was built from.
struct CachedXAxisMap: Sendable {
  var axis: XAxis
  /// The run's record count and last step then (a file replaced by one of as
  /// many records is caught by its last step).
  var records: Int
  var lastStep: Int?
  /// nil: the run does not log what the axis needs.
  var map: XAxisMap?

  func matches(_ run: RunEntry, _ axis: XAxis) -> Bool {
    self.axis == axis && records == run.data.recordCount && lastStep == run.data.lastStep
  }
}

extension DashboardState {
  /// Keeps an x-axis map for exactly the chart runs (none on the step
  /// axis), rebuilt when a run's data or the axis changes: O(steps) per
  /// change, not per chart per frame.
  mutating func syncXAxisMaps() {
    guard xAxis != .step else {
      if !xMaps.isEmpty { xMaps = [:] }
      return
    }
    var kept: [String: CachedXAxisMap] = [:]
    for run in chartRuns {
      if let c = xMaps[run.id], c.matches(run, xAxis) {
        kept[run.id] = c
      } else {
        kept[run.id] = CachedXAxisMap(
          axis: xAxis, records: run.data.recordCount, lastStep: run.data.lastStep,
          map: XAxisMap(run.data, xAxis))
      }
    }
    xMaps = kept
  }

  /// The map of `run` for the current axis: kept, else built now (a state
  /// made without `update`, such as a figure's).
  func xAxisMap(_ run: RunEntry) -> XAxisMap? {
    if let c = xMaps[run.id], c.matches(run, xAxis) { return c.map }
    return XAxisMap(run.data, xAxis)
  }
}

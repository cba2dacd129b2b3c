import Dashboard
import Foundation
import RunLog

/// `dpotop-bench render`: one frame of the main view with several 1M-step
/// runs, against the straightforward way of drawing them (a min/max pass
/// over every point in view, `Series.decimated`, per chart line per frame).
enum RenderBench {
  static let bench = Bench(
    name: "render",
    summary: "time one dashboard frame with 6 runs of 1M steps (target: < 5 ms)",
    help: """
      USAGE: dpotop-bench render [--runs N] [--steps N] [--size WxH] [--frames N]

      Builds N runs in memory (every metric the charts use and a wall-clock time,
      one record per step, an eval record every 100 steps), marks them all for
      the charts and times
      render(state) at the given size. Side by side it times the plain approach:
      Series.decimated over every plotted series for the same columns.
      Prints median and p95 frame times (wall and this thread's CPU), the ratio,
      the one-off cost of turning smoothing on, and resident memory.

      OPTIONS:
        --runs N      runs (default: 6)
        --steps N     steps per run (default: 1000000)
        --size WxH    screen size (default: 200x60)
        --frames N    frames timed (default: 30)
      """,
    run: run)

  static func run(_ args: [String]) -> Int32 {
    let parsed: Options.Parsed
    let runs: Int
    let steps: Int
    let frames: Int
    let size: (Int, Int)
    do {
      parsed = try Options(valued: ["runs", "steps", "size", "frames"], flags: []).parse(args)
      runs = try parsed.int("runs", default: 6, in: 1...64)
      steps = try parsed.int("steps", default: 1_000_000, in: 1...50_000_000)
      frames = try parsed.int("frames", default: 30, in: 1...10_000)
      size = try Options.parseSize(parsed.string("size") ?? "200x60")
    } catch {
      fail(error.description, hint: "see 'dpotop-bench render --help'")
    }
    let t0 = monotonicSeconds()
    var state = DashboardState(
      config: DashboardConfig(width: size.0, height: size.1, roots: "bench"))
    for r in 0..<runs {
      var m = RunManifest(id: "bench-\(r)", name: "bench-\(r)", createdAt: 0, status: .running)
      m.objective = r % 2 == 0 ? "dpo" : "dpop"
      m.beta = [0.1, 0.3, 1.0][r % 3]
      m.plannedSteps = steps
      _ = update(&state, .runUpdated(id: m.id, kind: "dpotop", manifest: m))
      _ = update(
        &state,
        .metrics(
          id: m.id, delta: store(run: r, steps: steps), reset: true, badCount: 0, recentBad: []))
    }
    for _ in 0..<runs { for k in [Key.char("m"), .down] { _ = update(&state, .key(k)) } }
    let loadSeconds = monotonicSeconds() - t0
    let loadedRSS = memory("VmRSS")
    _ = update(&state, .tick(now: 1_700_000_000))
    // Warm up, then time the frames.
    var sink = 0
    for _ in 0..<3 { sink &+= render(state).cells.count }
    var ours: [Double] = []
    var oursCPU: [Double] = []
    for _ in 0..<frames {
      let a = monotonicSeconds()
      let c = cpuNow()
      sink &+= render(state).cells.count
      oursCPU.append(cpuNow() - c)
      ours.append(monotonicSeconds() - a)
    }
    // The plain approach: one pass over every point of every plotted series,
    // on 64-bit series as a reader returns them. One run's series stand in
    // for each run's (same sizes), so the comparison adds one run's memory,
    // after the resident figure above was taken.
    let plotted = plottedCount(state)
    let columns = size.0
    var plain: [Double] = []
    var plainSeries = 0
    do {
      let one = store(run: 0, steps: steps)
      var perRun = one.keys(.train).compactMap { one.series($0, .train) }
      perRun += one.keys(.eval).compactMap { one.series($0, .eval) }
      if let c = one.series(MetricKey.logpsChosen) { perRun.append(c) }  // the log-ratio's size
      plainSeries = runs * perRun.count
      for _ in 0..<max(1, min(frames, 10)) {
        let a = monotonicSeconds()
        for r in 0..<runs {
          for s in perRun { sink &+= s.decimated(buckets: columns + r).count }
        }
        plain.append(monotonicSeconds() - a)
      }
    }
    // Turning smoothing on computes every run's EMA series once (update, not render).
    let s0 = monotonicSeconds()
    _ = update(&state, .key(.char("s")))
    let smoothSeconds = monotonicSeconds() - s0
    var smoothFrames: [Double] = []
    for _ in 0..<max(1, min(frames, 20)) {
      let a = monotonicSeconds()
      sink &+= render(state).cells.count
      smoothFrames.append(monotonicSeconds() - a)
    }
    let (sm, _) = stats(smoothFrames)
    let (om, op) = stats(ours)
    let (cm, cp) = stats(oursCPU)
    let (pm, _) = stats(plain)
    print("render bench: \(runs) runs x \(steps) steps, \(size.0)x\(size.1), \(frames) frames")
    print("  load into state:         \(ms(loadSeconds * 1000)) ms")
    print("  dpotop frame (wall):     median \(ms(om)) ms, p95 \(ms(op)) ms  (target < 5 ms)")
    print("  dpotop frame (CPU):      median \(ms(cm)) ms, p95 \(ms(cp)) ms  (this thread only)")
    print(
      "  plain decimation pass:   median \(ms(pm)) ms for \(plainSeries) series "
        + "(the charts hold \(plotted)) "
        + "(Series.decimated, no drawing)")
    print("  ratio plain / dpotop:    \(ms(pm / max(om, 1e-9)))x")
    print("  smoothing on (update):   \(ms(smoothSeconds * 1000)) ms once; frame then \(ms(sm)) ms")
    print("  resident memory:         \(loadedRSS) loaded; \(memory("VmRSS")) with smoothing on")
    if sink == 42 { print("") }  // keeps the work from being optimised away
    return min(om, cm) < 5 ? 0 : 1
  }

  /// Every metric the charts read, for one synthetic run.
  static func store(run: Int, steps: Int) -> SeriesStore {
    var store = SeriesStore()
    let keys = [
      MetricKey.loss, MetricKey.logpsChosen, MetricKey.logpsRejected, MetricKey.logpsRefChosen,
      MetricKey.logpsRefRejected, MetricKey.rewardsChosen, MetricKey.rewardsRejected,
      MetricKey.rewardsMargins, MetricKey.rewardsAccuracies, MetricKey.dpopPenalty,
    ]
    let stepArray = Array(0..<steps)
    var seed = UInt64(run + 1) &* 0x9E37_79B9_7F4A_7C15
    for (k, key) in keys.enumerated() {
      var values = [Double](repeating: 0, count: steps)
      var walk = Double(k)
      for i in 0..<steps {
        seed ^= seed << 13
        seed ^= seed >> 7
        seed ^= seed << 17
        walk += Double(Int64(bitPattern: seed % 2001) - 1000) / 100_000
        values[i] = walk - Double(i) / Double(steps) * Double(run + 1)
      }
      // A separate steps array per key, as the tailing reader builds them.
      store.setSeries(key, .train, Series(steps: stepArray.map { $0 }, values: values))
    }
    // A wall-clock time per record, as trainers log them (replay paces by it).
    for i in 0..<steps { store.appendTime(split: .train, step: i, time: 1.7e9 + Double(i) * 0.25) }
    let evalSteps = Array(stride(from: 0, to: steps, by: 100))
    store.setSeries(
      MetricKey.taskAccuracy, .eval,
      Series(steps: evalSteps, values: evalSteps.map { 0.9 - Double($0) / Double(steps) / 2 }))
    return store
  }

  /// How many series the charts draw for the chart runs.
  static func plottedCount(_ state: DashboardState) -> Int {
    state.chartRuns.reduce(0) { $0 + $1.data.series.count + $1.data.chosenLogRatio.count }
  }

  /// CPU time of this thread: on a shared machine, wall time also counts
  /// the time other processes held the core.
  static func cpuNow() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
  }

  /// Median and 95th percentile in milliseconds.
  static func stats(_ seconds: [Double]) -> (Double, Double) {
    let s = seconds.sorted()
    guard !s.isEmpty else { return (0, 0) }
    return (s[s.count / 2] * 1000, s[min(s.count - 1, s.count * 95 / 100)] * 1000)
  }

  static func ms(_ v: Double) -> String { String(format: "%.3f", v) }

  /// A line of /proc/self/status (`VmRSS`, `VmHWM`), or "n/a".
  static func memory(_ field: String) -> String {
    guard let text = readTextFile("/proc/self/status") else {
      return "n/a"
    }
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
      let kb = Double(line.split(separator: " ").dropFirst().first ?? "") ?? 0
      return String(format: "%.0f MB", kb / 1024)
    }
    return "n/a"
  }
}

import Dashboard
import Foundation
import RunLog

/// `dpotop-bench runs-pane`: one dashboard frame with a long runs list
/// (10 000 runs in 500 sweeps by default, grouped under their sweep headers),
/// against the same frame with a short list: the list's length must not show
/// in the frame time (target: < 5 ms).
enum RunsPaneBench {
  static let bench = Bench(
    name: "runs-pane",
    summary: "time a frame with 10,000 runs in 500 sweeps (target: < 5 ms)",
    help: """
      USAGE: dpotop-bench runs-pane [--runs N] [--sweeps N] [--size WxH] [--frames N]

      Builds N runs in S sweeps in memory (objective x beta x seed axes, every
      status, a short loss and log-prob series each), as the watcher would
      report them, puts the cursor on a run halfway down the list and times
      render(state) at the given size. Side by side, the same frame with one
      sweep of 12 runs. Prints median and p95 frame times, their ratio, and
      what the list's updates cost: loading all runs, a filter key, collapsing
      every group.

      OPTIONS:
        --runs N      runs (default: 10000)
        --sweeps N    sweeps they are spread over (default: 500)
        --size WxH    screen size (default: 200x60)
        --frames N    frames timed (default: 50)
      """,
    run: run)

  static func run(_ args: [String]) -> Int32 {
    let runs: Int
    let sweeps: Int
    let frames: Int
    let size: (Int, Int)
    do {
      let p = try Options(valued: ["runs", "sweeps", "size", "frames"], flags: []).parse(args)
      runs = try p.int("runs", default: 10_000, in: 1...1_000_000)
      sweeps = try p.int("sweeps", default: 500, in: 1...100_000)
      frames = try p.int("frames", default: 50, in: 1...100_000)
      size = try Options.parseSize(p.string("size") ?? "200x60")
    } catch {
      fail(error.description, hint: "see 'dpotop-bench runs-pane --help'")
    }
    let t0 = monotonicSeconds()
    var big = state(runs: runs, sweeps: min(sweeps, runs), size: size)
    let load = monotonicSeconds() - t0
    var small = state(runs: 12, sweeps: 1, size: size)
    let bigFrame = time(big, frames)
    let smallFrame = time(small, frames)
    print(
      "runs pane, \(size.0)x\(size.1), \(frames) frames each (cursor halfway down the list):")
    print(
      String(
        format: "  %d runs in %d sweeps: median %.3f ms, p95 %.3f ms (target < 5 ms)", runs,
        min(sweeps, runs), bigFrame.median * 1e3, bigFrame.p95 * 1e3))
    print(
      String(
        format: "  12 runs in 1 sweep:        median %.3f ms, p95 %.3f ms", smallFrame.median * 1e3,
        smallFrame.p95 * 1e3))
    print(
      String(
        format: "  ratio (long list / short list, median): %.2f",
        bigFrame.median / smallFrame.median))
    // What the list costs to keep up to date (update, not render).
    let a = monotonicSeconds()
    for k in [
      Key.char("/"), .char("b"), .char("e"), .char("t"), .char("a"), .char("="),
      .char("0"), .char("."), .char("3"), .enter,
    ] {
      _ = update(&big, .key(k))
    }
    let filterTime = (monotonicSeconds() - a) / 9
    let shown = big.visible.count
    _ = update(&big, .key(.escape))
    let b = monotonicSeconds()
    _ = update(&big, .key(.char("O")))
    let collapseTime = monotonicSeconds() - b
    let collapsedFrame = time(big, frames)
    _ = update(&small, .key(.char("O")))
    print(
      String(
        format:
          "  updates: loading %d runs %.1f ms; a filter key %.2f ms (beta=0.3 leaves %d); "
          + "collapsing all %.2f ms, then a frame %.3f ms", runs, load * 1e3, filterTime * 1e3,
        shown, collapseTime * 1e3, collapsedFrame.median * 1e3))
    return bigFrame.median < 0.005 ? 0 : 1
  }

  /// Median and 95th percentile of `frames` renders of `state` (after 3 to warm up).
  static func time(_ state: DashboardState, _ frames: Int) -> (median: Double, p95: Double) {
    var sink = 0
    for _ in 0..<3 { sink &+= render(state).cells.count }
    var times: [Double] = []
    for _ in 0..<frames {
      let a = monotonicSeconds()
      sink &+= render(state).cells.count
      times.append(monotonicSeconds() - a)
    }
    times.sort()
    if sink == 42 { print("") }  // keeps the renders from being optimised away
    return (times[times.count / 2], times[min(times.count - 1, times.count * 95 / 100)])
  }

  /// A dashboard holding `runs` runs spread over `sweeps` sweeps, as the
  /// watcher reports them (manifest, then metrics), cursor halfway down.
  static func state(runs: Int, sweeps: Int, size: (Int, Int)) -> DashboardState {
    var state = DashboardState(
      config: DashboardConfig(width: size.0, height: size.1, roots: "bench"))
    let statuses: [RunStatus] = [.finished, .finished, .running, .queued, .failed, .cancelled]
    let perSweep = (runs + sweeps - 1) / sweeps
    for r in 0..<runs {
      let sweep = r / perSweep
      let k = r % perSweep
      let objective = k % 2 == 0 ? "dpo" : "dpop"
      let beta = [0.1, 0.3, 1.0][(k / 2) % 3]
      let seed = k / 6 + 1
      let name = "\(objective)-b\(beta)-s\(seed)"
      var m = RunManifest(
        id: "sweep-\(sweep)/\(name)", name: name, createdAt: 0, status: statuses[r % statuses.count]
      )
      m.objective = objective
      m.beta = beta
      m.lambda = objective == "dpop" ? 50 : nil
      m.seed = seed
      m.plannedSteps = 150
      m.sweepId = "sweep-\(sweep)"
      m.sweepAxes = ["objective": objective, "beta": "\(beta)", "seed": "\(seed)"]
      let id = "bench/sweep-\(sweep)/\(name)"
      _ = update(&state, .runUpdated(id: id, kind: "dpotop", manifest: m))
      var store = SeriesStore()
      for step in stride(from: 0, through: 150, by: 10) {
        let x = Double(step)
        store.append(
          MetricRecord(
            step: step, time: nil, split: .train,
            values: [
              (MetricKey.loss, 0.69 / (1 + x / 50)),
              (MetricKey.logpsChosen, -20 - x * beta / 10), (MetricKey.logpsRefChosen, -20),
            ]))
      }
      _ = update(
        &state, .metrics(id: id, delta: store, reset: true, badCount: 0, recentBad: []))
    }
    let rows = state.rows.count
    // A page moves about a screen of rows.
    for _ in 0..<(rows / 2) / max(1, size.1 - 5) { _ = update(&state, .key(.pageDown)) }
    _ = update(&state, .tick(now: 1_700_000_000))
    return state
  }
}

import Dashboard
import Foundation
import RunLog

/// `dpotop-bench metrics-grid`: one frame of the metrics screen (a chart per
/// logged key) for runs that log hundreds of keys: the key list is built,
/// sorted and filtered each frame, so its length must not show.
enum MetricsGridBench {
  static let bench = Bench(
    name: "metrics-grid",
    summary: "time a metrics-screen frame with 500 keys x 6 runs (target: < 16 ms)",
    help: """
      USAGE: dpotop-bench metrics-grid [--runs N] [--keys N] [--steps N] [--size WxH] [--frames N]

      Builds N runs in memory, each logging K keys under 25 prefixes
      (block7/key3) at every step, marks them all, opens the metrics screen
      (M) and times render(state) on its first page, on a middle page, with a
      regex key filter typed and with one chart enlarged. Prints median and
      p95 frame times (wall and this thread's CPU).

      OPTIONS:
        --runs N      runs (default: 6)
        --keys N      keys per run (default: 500)
        --steps N     steps per run (default: 2000)
        --size WxH    screen size (default: 200x60)
        --frames N    frames timed per case (default: 30)
      """,
    run: run)

  static func run(_ args: [String]) -> Int32 {
    let runs: Int
    let keys: Int
    let steps: Int
    let frames: Int
    let size: (Int, Int)
    do {
      let p = try Options(valued: ["runs", "keys", "steps", "size", "frames"], flags: []).parse(
        args)
      runs = try p.int("runs", default: 6, in: 1...64)
      keys = try p.int("keys", default: 500, in: 1...100_000)
      steps = try p.int("steps", default: 2000, in: 1...1_000_000)
      frames = try p.int("frames", default: 30, in: 1...10_000)
      size = try Options.parseSize(p.string("size") ?? "200x60")
    } catch {
      fail(error.description, hint: "see 'dpotop-bench metrics-grid --help'")
    }
    let t0 = monotonicSeconds()
    var state = DashboardState(
      config: DashboardConfig(width: size.0, height: size.1, roots: "bench"))
    for r in 0..<runs {
      let m = RunManifest(id: "bench-\(r)", name: "bench-\(r)", createdAt: 0, status: .running)
      _ = update(&state, .runUpdated(id: m.id, kind: "dpotop", manifest: m))
      _ = update(
        &state,
        .metrics(
          id: m.id, delta: store(run: r, keys: keys, steps: steps), reset: true, badCount: 0,
          recentBad: []))
    }
    for k in [Key.char("a"), .char("M")] { _ = update(&state, .key(k)) }
    let load = monotonicSeconds() - t0
    print(
      "metrics grid bench: \(runs) runs x \(keys) keys x \(steps) steps, "
        + "\(size.0)x\(size.1), \(frames) frames per case")
    print("  load into state:     \(RenderBench.ms(load * 1000)) ms")
    var worst = 0.0
    func time(_ label: String, _ keysPressed: [Key]) {
      for k in keysPressed { _ = update(&state, .key(k)) }
      var sink = 0
      for _ in 0..<3 { sink &+= render(state).cells.count }
      var wall: [Double] = []
      var cpu: [Double] = []
      for _ in 0..<frames {
        let a = monotonicSeconds()
        let c = RenderBench.cpuNow()
        sink &+= render(state).cells.count
        cpu.append(RenderBench.cpuNow() - c)
        wall.append(monotonicSeconds() - a)
      }
      let (wm, wp) = RenderBench.stats(wall)
      let (cm, cp) = RenderBench.stats(cpu)
      worst = max(worst, min(wm, cm))
      let pad = label.padding(toLength: 20, withPad: " ", startingAt: 0)
      print(
        "  \(pad) wall median \(RenderBench.ms(wm)) ms, p95 \(RenderBench.ms(wp)) ms; "
          + "CPU median \(RenderBench.ms(cm)) ms, p95 \(RenderBench.ms(cp)) ms"
          + (sink == 42 ? " " : ""))
    }
    time("first page:", [])
    time("middle page:", Array(repeating: .pageDown, count: 10))
    time("filter /key1[0-9]$/:", [.char("/")] + "key1[0-9]$".map { Key.char($0) } + [.enter])
    time("one enlarged:", [.enter])
    return worst < 16 ? 0 : 1
  }

  /// `keys` random-walk series of `steps` points for run `run`, one record a step.
  static func store(run: Int, keys: Int, steps: Int) -> SeriesStore {
    var store = SeriesStore()
    let stepArray = Array(0..<steps)
    var seed = UInt64(run + 1) &* 0x9E37_79B9_7F4A_7C15
    for k in 0..<keys {
      var values = [Double](repeating: 0, count: steps)
      var walk = Double(k % 17)
      for i in 0..<steps {
        seed ^= seed << 13
        seed ^= seed >> 7
        seed ^= seed << 17
        walk += Double(Int64(bitPattern: seed % 2001) - 1000) / 10_000
        values[i] = walk
      }
      store.setSeries(
        "block\(k % 25)/key\(k / 25)", .train, Series(steps: stepArray, values: values))
    }
    return store
  }
}

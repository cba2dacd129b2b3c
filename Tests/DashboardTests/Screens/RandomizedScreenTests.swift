import RunLog
import Testing

@testable import Dashboard

/// Random runs, values and key presses at random sizes: the screen is always
/// drawn, aligned and free of control characters (a fixed seed, so a failure
/// reproduces).
@Suite struct RandomizedScreenTests {
  static let specials: [Double] = [
    .nan, .infinity, -.infinity, 1e308, -1e308, 1e-310, 0, -0.0, 1, -1,
  ]
  static let keys: [Key] = [
    .up, .down, .pageUp, .pageDown, .home, .end, .tab, .enter, .escape, .left, .right,
    .char(" "), .char("m"), .char("a"), .char("s"), .char("+"), .char("-"), .char("z"),
    .char("Z"), .char("["), .char("]"), .char("L"), .char("r"), .char("p"), .char("."),
    .char(","), .char(">"), .char("<"), .char("t"), .char("C"), .char("?"), .char("/"),
    .char("d"), .char("0"), .char("3"), .char("x"), .char("n"), .backspace, .char("g"),
  ]

  @Test func randomRunsKeysAndSizesAlwaysRender() {
    var rng = MinMaxIndexTests.Rng(s: 2026)
    var state = DashboardState(config: DashboardConfig(width: 80, height: 24))
    var now = 1_700_000_000.0
    for round in 0..<300 {
      switch rng.int(6) {
      case 0:
        let id = "r/\(rng.int(5))"
        var m = Fixtures.manifest("run\u{1B}\(rng.int(5))", beta: [0.1, 0, -1, .nan][rng.int(4)])
        m.status = RunStatus.allCases[rng.int(RunStatus.allCases.count)]
        _ = update(&state, .runUpdated(id: id, kind: "dpotop", manifest: m))
      case 1:
        var store = SeriesStore()
        var step = rng.int(3) == 0 ? -rng.int(1000) : rng.int(1000)
        for _ in 0..<rng.int(60) {
          step += rng.int(3) == 0 ? -rng.int(20) : rng.int(1000) + 1
          let key = [
            MetricKey.loss, MetricKey.logpsChosen, MetricKey.logpsRefChosen,
            MetricKey.rewardsChosen, "k\u{202E}\(rng.int(3))",
          ][rng.int(5)]
          let v =
            rng.int(4) == 0
            ? Self.specials[rng.int(Self.specials.count)] : Double(rng.int(2000)) / 100 - 10
          store.append(
            MetricRecord(
              step: step, time: rng.int(5) == 0 ? nil : now + Double(step),
              split: rng.int(4) == 0 ? .eval : .train, values: [(key, v)]))
        }
        _ = update(
          &state,
          .metrics(
            id: "r/\(rng.int(5))", delta: store, reset: rng.int(5) == 0, badCount: rng.int(3),
            recentBad: []))
      case 2:
        _ = update(&state, .resized(width: rng.int(130), height: rng.int(45)))
      case 3:
        now += Double(rng.int(3000)) / 1000
        _ = update(&state, .tick(now: now))
      case 4:
        for _ in 0..<rng.int(6) { _ = update(&state, .key(Self.keys[rng.int(Self.keys.count)])) }
      default:
        let id = "r/\(rng.int(5))"
        switch rng.int(4) {
        case 0: _ = update(&state, .runRemoved(id: id))
        case 1: _ = update(&state, .liveness(id: id, alive: rng.int(2) == 0))
        case 2: _ = update(&state, .seek(step: rng.int(2000) - 500))
        default: _ = update(&state, .runError(id: id, message: "gone\u{7}"))
        }
      }
      let g = render(state)
      #expect(g.width == state.width && g.height == state.height, "round \(round)")
      expectAlignedAndClean(g)
    }
  }
}

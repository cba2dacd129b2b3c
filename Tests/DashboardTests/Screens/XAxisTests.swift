import Testing

@testable import Dashboard
@testable import RunLog

/// The x axis (`X`): steps, time since the run's start, wall-clock time and
/// tokens seen, each labelled on the axis; runs without them say so.
@Suite struct XAxisTests {
  /// Two runs, both marked, the second logging `num_tokens` (4096 a step).
  static func runs(width: Int = 120) -> DashboardState {
    var s = Fixtures.state(
      [
        (Fixtures.manifest("dpo-b0.1"), Fixtures.store(steps: 100, drift: -0.1)),
        (
          Fixtures.manifest("dpop-b0.1", objective: "dpop", lambda: 50),
          Fixtures.store(steps: 100, drift: 0.02) { [("num_tokens", Double(($0 + 1) * 4096))] }
        ),
      ], width: width, height: 30)
    _ = update(&s, .key(.char("a")))
    return s
  }

  static func axis(_ s: inout DashboardState, _ axis: XAxis) {
    while s.xAxis != axis { _ = update(&s, .key(.char("X"))) }
  }

  @Test func xCyclesTheModes() {
    var s = Self.runs()
    var seen: [XAxis] = [s.xAxis]
    for _ in 0..<4 {
      _ = update(&s, .key(.char("X")))
      seen.append(s.xAxis)
    }
    #expect(seen == [.step, .relative, .wall, .tokens, .step])
  }

  @Test func timeSinceStart() {
    var s = Self.runs()
    Self.axis(&s, .relative)
    let g = render(s)
    expectSnapshot(g, "x-axis-relative")
    // The fixture's runs last 198 s: the axis ends at 3m18s, and says what it is.
    #expect(g.plainText.contains("3m18s"))
    #expect(g.plainText.contains("time since start"))
  }

  @Test func wallClock() {
    var s = Self.runs()
    Self.axis(&s, .wall)
    let g = render(s)
    expectSnapshot(g, "x-axis-wall")
    // 1 700 000 000 is 22:13:20 UTC.
    #expect(g.plainText.contains("22:13:20"))
    #expect(g.plainText.contains("wall clock"))
  }

  @Test func tokensWhereLogged() {
    var s = Self.runs()
    Self.axis(&s, .tokens)
    let g = render(s)
    expectSnapshot(g, "x-axis-tokens")
    #expect(g.plainText.contains("409.6k"))
    #expect(g.plainText.contains("loss (1 without tokens)"))
    // Only the run without tokens charted: the charts say why they are empty.
    _ = update(&s, .key(.char("c")))
    _ = update(&s, .key(.char("g")))
    let alone = render(s)
    expectSnapshot(alone, "x-axis-no-tokens")
    #expect(alone.plainText.contains("no tokens logged"))
  }

  @Test func narrowAndASCII() {
    var s = Self.runs(width: 80)
    Self.axis(&s, .relative)
    expectSnapshot(render(s), "x-axis-relative-80")
    var a = Fixtures.state(
      [(Fixtures.manifest("dpo-b0.1"), Fixtures.store(steps: 100))], width: 120, height: 30,
      config: DashboardConfig(glyphs: .ascii, noColor: true))
    Self.axis(&a, .wall)
    let g = render(a)
    expectSnapshot(g, "x-axis-wall-ascii")
    #expect(g.plainText.contains("wall clock"))
  }

  @Test func figuresWrittenWithEFollowTheAxis() {
    var s = Self.runs()
    Self.axis(&s, .relative)
    let figures = s.screenFigures()
    #expect(!figures.isEmpty)
    #expect(
      figures.allSatisfy { $0.svg.contains(">time since start<") && $0.svg.contains(">1m40s<") })
  }

  @Test func theCursorBoxNamesStepAndTime() {
    var s = Self.runs(width: 200)
    Self.axis(&s, .relative)
    _ = update(&s, .key(.char("i")))
    let g = render(s)
    expectSnapshot(g, "x-axis-relative-cursor-200")
    #expect(g.plainText.contains("step 49  1m38s"))
  }

  @Test func mapsAreKeptForTheChartRunsAndFollowNewData() {
    var s = Self.runs()
    #expect(s.xMaps.isEmpty)
    Self.axis(&s, .relative)
    #expect(s.xMaps.count == 2)
    _ = update(
      &s,
      .metrics(
        id: "runs/dpo-b0.1", delta: Fixtures.store(steps: 10, from: 100), reset: false,
        badCount: 0, recentBad: []))
    // Step 109 was logged 218 s after the start.
    #expect(render(s).plainText.contains("3m38s"))
    Self.axis(&s, .step)
    #expect(s.xMaps.isEmpty)
  }

  @Test func labels() {
    #expect(XAxisMap.duration(milliseconds: 850, span: 1000) == "850ms")
    #expect(XAxisMap.duration(milliseconds: 12_500, span: 15_000) == "12.5s")
    #expect(XAxisMap.duration(milliseconds: 245_000, span: 300_000) == "4m05s")
    #expect(XAxisMap.duration(milliseconds: 7_800_000, span: 9_000_000) == "2h10m")
    #expect(XAxisMap.duration(milliseconds: 273_600_000, span: 300_000_000) == "3d04h")
    #expect(XAxisMap.clock(1_700_000_000, span: 3600) == "22:13")
    #expect(XAxisMap.clock(1_700_000_000, span: 60) == "22:13:20")
    #expect(XAxisMap.clock(1_700_000_000, span: 5 * 86_400) == "11-14")
    #expect(XAxisMap.label(2_500_000_000, axis: .tokens, span: 0) == "2.5G")
  }

  @Test func remapKeepsXIncreasing() {
    var store = SeriesStore()
    // Two steps in the same millisecond, then the clock going back a second.
    for (step, time) in [(0, 10.0), (1, 10.0), (2, 12.0), (3, 11.0), (4, 13.0)] {
      store.append(MetricRecord(step: step, time: time, split: .train, values: [("loss", 1)]))
    }
    var data = RunData()
    data.merge(store, beta: nil)
    let map = XAxisMap(data, .relative)
    #expect(map != nil)
    let remapped = map!.remap(data.plot(SeriesID("loss"))!)
    let xs = (0..<remapped.points.count).map { remapped.points.steps[$0] }
    #expect(xs == [0, 2000, 2001, 3000])
    #expect(XAxisMap(data, .tokens) == nil)
  }
}

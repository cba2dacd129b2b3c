import RunLog
import Testing

@testable import Dashboard

/// The "sharpening" chart: greedy, best-of-N and sample accuracy (percent)
/// with the best-of-N sample's log-ratio.
@Suite struct SharpeningChartTests {
  static func store(bestOf: Bool = true) -> SeriesStore {
    var s = Fixtures.store(steps: 30)
    for step in [0, 10, 20] {
      let x = Double(step)
      var values: [(String, Double)] = [(MetricKey.taskAccuracy, 0.9 - 0.02 * x)]
      if bestOf {
        values += [
          (MetricKey.bonLogps, -6 + 0.5 * x), (MetricKey.bonRefLogps, -6 - 0.1 * x),
          (MetricKey.bonAccuracy, 0.8 - 0.01 * x), (MetricKey.bonAnyCorrect, 0.95),
          (MetricKey.sampleAccuracy, 0.5),
        ]
      }
      s.append(MetricRecord(step: step, split: .eval, values: values))
    }
    return s
  }

  static func values(_ line: ChartLine) -> [Double] {
    (0..<line.data.count).map { (line.data.points.value(at: $0) * 1000).rounded() / 1000 }
  }

  @Test func linesAreTheAccuraciesInPercentAndTheBestSamplesLogRatio() {
    let s = Fixtures.state([(Fixtures.manifest("dpo"), Self.store())])
    let m = ChartKind.sharpening.model(s)
    #expect(m.title == "sharpening: acc. %, bon log-ratio")
    #expect(m.zeroLine && m.emptyNote == nil)
    #expect(m.legend.map(\.label) == ["bon %", "greedy %", "sample %", "bon log-ratio"])
    let lines = m.lines.map(Self.values)
    #expect(lines[0] == [80, 70, 60])
    #expect(lines[1] == [90, 70, 50])
    #expect(lines[2] == [50, 50, 50])
    #expect(lines[3] == [0, 6, 12])  // bon/logps − bon/ref_logps
  }

  @Test func runsThatDoNotLogBestOfNSayNotLogged() {
    // Task accuracy alone (an older dpotop run, or --best-of 0) is not enough.
    for store in [Self.store(bestOf: false), Fixtures.store(steps: 30)] {
      let s = Fixtures.state([(Fixtures.manifest("old"), store)])
      let m = ChartKind.sharpening.model(s)
      #expect(m.lines.isEmpty && m.emptyNote == "not logged")
      var g = CellGrid(width: 40, height: 10)
      ChartView(model: m, glyphs: .braille, focused: false).render(in: g.bounds, into: &g)
      #expect(g.plainText.contains("not logged"))
    }
  }

  @Test func itJoinsTheMainViewWhenTallAndKeyNineFocusesIt() {
    var s = Fixtures.state([(Fixtures.manifest("dpo"), Self.store())])
    _ = update(&s, .resized(width: 120, height: 41))
    #expect(render(s).plainText.contains("sharpening"))
    _ = update(&s, .resized(width: 120, height: 30))
    #expect(!render(s).plainText.contains("sharpening"))
    _ = update(&s, .key(.char("9")))
    #expect(render(s).plainText.contains("sharpening"))
  }

  @Test func compareViewDrawsEachRunsBestOfNAccuracyWithSeedBands() {
    var s = Fixtures.state([
      (Fixtures.manifest("a", beta: 0.1), Self.store()),
      (Fixtures.manifest("b", beta: 0.3), Self.store()),
      (Fixtures.manifest("old", beta: 1.0), Self.store(bestOf: false)),
    ])
    for k in ["a", "C"] { _ = update(&s, .key(.char(Character(k)))) }
    let m = ChartKind.sharpening.model(s)
    #expect(m.lines.count == 2)  // the run without best-of-N draws nothing
    #expect(m.lines.map(Self.values).allSatisfy { $0 == [80, 70, 60] })
    #expect(m.notes.contains("bon %"))
  }

  @Test func seedsOfOneSettingAreOneMeanLineOverABand() {
    var runs: [(RunManifest, SeriesStore)] = []
    for seed in 1...3 {
      var m = Fixtures.manifest("dpo-b0.1-s\(seed)")
      m.seed = seed
      var store = Fixtures.store(steps: 30)
      for step in [0, 10, 20] {
        store.append(
          MetricRecord(
            step: step, split: .eval,
            values: [
              (MetricKey.bonLogps, -6), (MetricKey.bonRefLogps, -6),
              (MetricKey.bonAccuracy, 0.5 + 0.1 * Double(seed)),
            ]))
      }
      runs.append((m, store))
    }
    var s = Fixtures.state(runs)
    for k in ["a", "C"] { _ = update(&s, .key(.char(Character(k)))) }
    let m = ChartKind.sharpening.model(s)
    #expect(m.lines.count == 1 && m.bands.count == 1)
    #expect(Self.values(m.lines[0]) == [70, 70, 70])
    #expect(m.legend.contains { $0.band && $0.label == "min-max, 3 seeds" })
  }
}

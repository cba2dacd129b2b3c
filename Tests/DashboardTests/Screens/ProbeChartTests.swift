import RunLog
import Testing

@testable import Dashboard

/// The charts "where the chosen likelihood goes" and "squeezing".
@Suite struct ProbeChartTests {
  static func store() -> SeriesStore {
    var s = Fixtures.store(steps: 30)
    for step in [0, 10, 20] {
      let x = Double(step)
      s.append(
        MetricRecord(
          step: step, split: .eval,
          values: [
            (MetricKey.logpsChosen, -5 - 0.5 * x), (MetricKey.logpsRefChosen, -5),
            (MetricKey.logpsRejected, -30 - x), (MetricKey.logpsRefRejected, -30),
            (MetricKey.logpsChosenPrefix, -1 - 0.1 * x), (MetricKey.logpsRefChosenPrefix, -1),
            (MetricKey.logpsGreedy, -4 + 0.05 * x), (MetricKey.logpsRefGreedy, -4),
          ]))
    }
    return s
  }

  @Test func splitAndSqueezingLinesAreTheDerivedLogRatios() throws {
    let s = Fixtures.state([(Fixtures.manifest("dpo"), Self.store())])
    let split = ChartKind.likelihoodSplit.model(s)
    #expect(split.title == "where the chosen likelihood goes")
    #expect(split.zeroLine && split.emptyNote == nil)
    #expect(split.legend.map(\.label) == ["prefix", "from edit", "whole"])
    let lines = split.lines.map { (0..<$0.data.count).map($0.data.points.value(at:)) }
    #expect(lines[2] == [0, -5, -10])  // whole: chosen − ref chosen
    #expect(lines[0].map { ($0 * 1000).rounded() / 1000 } == [0, -1, -2])  // prefix
    #expect(lines[1].map { ($0 * 1000).rounded() / 1000 } == [0, -4, -8])  // from the edit
    let sq = ChartKind.squeezing.model(s)
    #expect(sq.legend.map(\.label) == ["greedy", "chosen", "rejected"])
    let sqLines = sq.lines.map { (0..<$0.data.count).map($0.data.points.value(at:)) }
    #expect(sqLines[2] == [0, -10, -20])
    #expect(sqLines[0].map { ($0 * 1000).rounded() / 1000 } == [0, 0.5, 1])
  }

  @Test func runsThatDoNotLogThemSayNotLogged() {
    var s = Fixtures.state([(Fixtures.manifest("trl"), Fixtures.store(steps: 30))])
    for kind in [ChartKind.likelihoodSplit, .squeezing] {
      let m = kind.model(s)
      #expect(m.lines.isEmpty && m.emptyNote == "not logged")
      var g = CellGrid(width: 40, height: 10)
      ChartView(model: m, glyphs: .braille, focused: false).render(in: g.bounds, into: &g)
      #expect(g.plainText.contains("not logged"))
    }
    // The other charts are unaffected.
    #expect(ChartKind.chosenLogRatio.model(s).emptyNote == nil)
    // Both join the main view when there is room, and the compare view.
    _ = update(&s, .resized(width: 120, height: 41))
    let text = render(s).plainText
    #expect(text.contains("where the chosen likelihood goes"))
    #expect(text.contains("squeezing"))
  }

  @Test func compareViewDrawsThePrimaryLineOfEachRun() {
    var s = Fixtures.state([
      (Fixtures.manifest("a", beta: 0.1), Self.store()),
      (Fixtures.manifest("b", beta: 0.3), Self.store()),
    ])
    for k in ["a", "C"] { _ = update(&s, .key(.char(Character(k)))) }
    let m = ChartKind.likelihoodSplit.model(s)
    #expect(m.lines.count == 2)  // the prefix part of each run
    let sq = ChartKind.squeezing.model(s)
    #expect(sq.lines.count == 2)  // the greedy log-ratio of each run
  }
}

import RunLog
import Testing

@testable import Dashboard

/// A β sweep read at one glance: every run marked with `a`, `C` colours
/// lines by β and dashes them by objective.
@Suite struct CompareTests {
  static func sweep() -> DashboardState {
    var runs: [(RunManifest, SeriesStore)] = []
    for objective in ["dpo", "dpop"] {
      for beta in [0.1, 0.3, 1.0] {
        let drift = objective == "dpo" ? -0.3 / (beta * 10).squareRoot() : 0.01
        runs.append(
          (
            Fixtures.manifest("\(objective)-b\(beta)", objective: objective, beta: beta),
            Fixtures.store(steps: 60, beta: beta, drift: drift)
          ))
      }
    }
    return Fixtures.state(runs, width: 140, height: 44)
  }

  @Test func markAllThenCompareColoursByBetaAndDashesByObjective() {
    var s = Self.sweep()
    _ = update(&s, .key(.char("a")))
    #expect(s.chartRuns.count == 6)
    _ = update(&s, .key(.char("C")))
    let m = ChartKind.chosenLogRatio.model(s)
    #expect(m.lines.count == 6)
    // Runs are in order dpo 0.1, 0.3, 1.0, dpop 0.1, 0.3, 1.0.
    #expect(m.lines.map(\.style.role) == [0, 1, 2, 0, 1, 2].map { ColorRole.series($0) })
    #expect(m.lines.map(\.pattern) == [0, 0, 0, 1, 1, 1].map { DashPattern.number($0) })
    #expect(m.legend.map(\.label) == ["β=0.1", "β=0.3", "β=1", "dpo", "dpop"])
    let g = render(s)
    expectSnapshot(g, "compare-sweep")
    // The runs pane becomes the final-values table.
    let text = g.plainText
    #expect(text.contains("logratio") && text.contains("margin"))
    #expect(text.contains("-17.7"))  // dpo β=0.1 drifts -0.3 a step: -0.3 × 59

    expectAlignedAndClean(g)
    _ = update(&s, .key(.char("a")))
    #expect(s.selected.isEmpty)
  }

  @Test func withoutCompareStyleEachRunHasItsColour() {
    var s = Self.sweep()
    _ = update(&s, .key(.char("a")))
    let m = ChartKind.rewards.model(s)
    #expect(Set(m.lines.map(\.style.role)).count == 6)
    #expect(m.legend.contains { $0.label == "margin" })
  }
}

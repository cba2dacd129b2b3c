import Foundation
import RunLog
import Testing

@testable import Dashboard

/// `dpotop plot`'s figures: the dashboard's chart models drawn as SVG with
/// print axes, checked for structure (viewBox, one path per run, every
/// legend name) and determinism on the shipped β sweep.
@Suite struct FigureSVGTests {
  static func sweepSVG(_ charts: [FigureChart], columns: Int = 1) throws -> String {
    var s = try SampleRuns.state("beta-sweep")
    #expect(s.markForFigure(filter: nil, compare: nil, smooth: false) == 6)
    #expect(s.compareStyle)
    return FigureDocument.svg(
      s, charts: charts, width: 560, height: 380, columns: columns, paint: .theme(.builtin))
  }

  @Test func chosenLogRatioOfTheSweepHasOnePathPerRunAndEveryLegendName() throws {
    let svg = try Self.sweepSVG([.kind(.chosenLogRatio)])
    #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 560 380\""))
    #expect(SampleRuns.count("<path class=\"line\"", in: svg) == 6)
    for name in ["β=0.1", "β=0.3", "β=1", "dpo", "dpop"] {
      #expect(svg.contains(">\(name)</text>"), "legend lacks \(name)")
    }
    for run in ["dpo-b0.1-s1", "dpop-b1.0-s1"] {
      #expect(svg.contains("<title>\(run) held-out</title>"), "no line named \(run)")
    }
    // The zero line, the step axis and the value axis with its unit.
    #expect(svg.contains("class=\"zero\""))
    #expect(svg.contains(">step</text>"))
    #expect(svg.contains("(nats)</text>"))
    // DPOP's objective dash differs from DPO's solid line.
    #expect(svg.contains("stroke-dasharray=\"10.5 5.5\""))
    #expect(!svg.contains("nan") && !svg.contains("inf"))
  }

  @Test func sameRunsGiveTheSameBytes() throws {
    let a = try Self.sweepSVG([.kind(.chosenLogRatio), .key(MetricKey.taskAccuracy)], columns: 2)
    let b = try Self.sweepSVG([.kind(.chosenLogRatio), .key(MetricKey.taskAccuracy)], columns: 2)
    #expect(a == b)
    #expect(a.contains("viewBox=\"0 0 1120 380\""))
    #expect(SampleRuns.count("class=\"chart\"", in: a) == 2)
    #expect(SampleRuns.count("<path class=\"line\"", in: a) == 12)
  }

  @Test func everyDashboardChartHasAName() {
    #expect(FigureChart.names.count == ChartKind.allCases.count)
    #expect(FigureChart.named("chosen-log-ratio") == .kind(.chosenLogRatio))
    #expect(FigureChart.named("likelihood-split") == .kind(.likelihoodSplit))
    #expect(FigureChart.named("nope") == nil)
    #expect(Set(FigureChart.names).count == FigureChart.names.count)
  }

  @Test func seedsDrawAsAMeanOverABand() throws {
    var s = try SampleRuns.state("beta-sweep")
    s.markForFigure(filter: nil, compare: true, smooth: false)
    // Two copies of the sweep's DPO β=0.1 run that differ only in seed.
    var m = s.runs[0].manifest
    m.seed = 2
    m.name = "dpo-b0.1-s2"
    let store = try LoadedRun.load(s.runs[0].id).store
    s.addRun(id: s.runs[0].id + "-copy", kind: "dpotop", manifest: m, store: store)
    s.mark(ids: s.runs.map(\.id), compare: true)
    let svg = FigureDocument.svg(
      s, charts: [.kind(.chosenLogRatio)], width: 560, height: 380, paint: .theme(.builtin))
    #expect(SampleRuns.count("<path class=\"band\"", in: svg) == 1)
    #expect(svg.contains("min-max, 2 seeds"))
  }

  @Test func hostileRunNamesAreEscaped() throws {
    var s = DashboardState.forFigures()
    let m = RunManifest(
      id: "x", name: "<script>alert(1)</script>&\u{1B}[2J", createdAt: 0, status: .finished)
    var store = SeriesStore()
    store.append(key: MetricKey.loss, split: .train, step: 1, value: 1)
    store.append(key: MetricKey.loss, split: .train, step: 2, value: .nan)
    store.append(key: MetricKey.loss, split: .train, step: 3, value: 0.5)
    s.addRun(id: "runs/x", kind: "dpotop", manifest: m, store: store)
    s.addRun(id: "runs/y", kind: "dpotop", manifest: m, store: store)
    s.markForFigure(filter: nil, compare: false, smooth: false)
    let svg = FigureDocument.svg(
      s, charts: [.kind(.loss)], width: 400, height: 300, paint: .theme(.builtin))
    #expect(!svg.contains("<script"))
    #expect(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;&amp;\\x1b[2J"))
    // The NaN breaks the line into two pieces: two moves, no number "nan".
    #expect(!svg.contains("nan"))
  }

  @Test func nonFiniteValuesAreMarkedAsOnScreen() {
    var s = DashboardState.forFigures()
    let m = RunManifest(id: "x", name: "blowup", createdAt: 0, status: .finished)
    var store = SeriesStore()
    for (step, v) in [(1, 1.0), (2, .nan), (3, 0.5), (4, .infinity), (5, 0.4), (6, -.infinity)] {
      store.append(key: MetricKey.loss, split: .train, step: step, value: v)
    }
    s.addRun(id: "runs/x", kind: "dpotop", manifest: m, store: store)
    s.markForFigure(filter: nil, compare: false, smooth: false)
    let svg = FigureDocument.svg(
      s, charts: [.kind(.loss)], width: 400, height: 300, paint: .theme(.builtin))
    #expect(SampleRuns.count("<text class=\"nonfinite\"", in: svg) == 3)
    for glyph in ["×", "▲", "▼"] { #expect(SampleRuns.count(">\(glyph)<", in: svg) == 2) }
    #expect(svg.contains("blowup train NaN at step 2"))
    #expect(svg.contains("NaN 1") && svg.contains("+Inf 1") && svg.contains("-Inf 1"))
  }

  @Test func tokenViewOfAProbe() throws {
    var s = try SampleRuns.state("beta-sweep")
    s.markForFigure(filter: "dpo beta=0.1", compare: nil, smooth: false)
    guard case .success(let svg) = TokenFigure.svg(s, probe: nil, paint: .theme(.builtin)) else {
      Issue.record("no token view")
      return
    }
    #expect(svg.contains("viewBox=\"0 0 "))
    #expect(svg.contains("probe 0"))
    #expect(svg.contains("chosen"))
    guard case .failure(let problem) = TokenFigure.svg(s, probe: 999, paint: .theme(.builtin))
    else {
      Issue.record("probe 999 drawn")
      return
    }
    #expect(problem.description.contains("no probe 999 (probes: 0,"))
  }
}

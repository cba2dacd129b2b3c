import Foundation
import RunLog
import Testing

@testable import Dashboard

/// The `e` key: the charts on screen (or the token view's probe) as SVG
/// files, handed to the app as an effect; nothing is written by `update`.
@Suite struct ScreenFiguresTests {
  @Test func eOnTheMainScreenAsksToWriteEveryChartShown() throws {
    var s = try SampleRuns.state("beta-sweep")
    _ = update(&s, .key(.char("a")))
    _ = update(&s, .key(.char("C")))
    let effects = update(&s, .key(.char("e")))
    guard case .writeFigures(let files) = effects.first else {
      Issue.record("no writeFigures effect: \(effects)")
      return
    }
    let shown = Layout(s).chartCells(focus: s.chartFocus).map { FigureChart.name($0.0) + ".svg" }
    // Every chart shown that has data: the shipped sweep logs every chart's
    // keys but best-of-N's (it predates it; the sharpening chart says "not
    // logged" and is not written).
    #expect(files.map(\.name) == shown.filter { $0 != "sharpening.svg" })
    #expect(shown.contains("sharpening.svg"))
    #expect(files.count >= 6)
    let ratio = try #require(files.first { $0.name == "chosen-log-ratio.svg" })
    #expect(ratio.svg.contains("viewBox=\"0 0 560 380\""))
    #expect(SampleRuns.count("<path class=\"line\"", in: ratio.svg) == 6)
  }

  @Test func eOnTheTokenViewAsksForTheProbeShown() throws {
    var s = try SampleRuns.state("beta-sweep")
    for _ in 0..<s.runs.count where s.cursorRun == nil { _ = update(&s, .key(.down)) }
    _ = update(&s, .key(.char("w")))
    _ = update(&s, .key(.down))
    let effects = update(&s, .key(.char("e")))
    guard case .writeFigures(let files) = effects.first else {
      Issue.record("no writeFigures effect: \(effects)")
      return
    }
    #expect(files.map(\.name) == ["tokens-probe1.svg"])
    #expect(files.first?.svg.contains("probe 1") == true)
  }

  @Test func eWithNothingToDrawSaysSo() {
    var s = DashboardState.forFigures()
    #expect(update(&s, .key(.char("e"))).isEmpty)
    #expect(s.notice == "no charts on this screen to write")
  }
}

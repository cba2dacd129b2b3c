/// One figure file the dashboard asks the app to write (`e`): its file
/// name and its SVG text.
public struct FigureFile: Sendable, Equatable {
  public var name: String
  public var svg: String

  public init(name: String, svg: String) {
    self.name = name
    self.svg = svg
  }
}

extension DashboardState {
  /// The charts on screen now as SVG files (`e`): each chart with data the
  /// main screen shows, or the token view's probe, drawn as `dpotop plot` draws
  /// them, in `config.figureTheme` (figures are for paper, not for this
  /// terminal's background).
  func screenFigures() -> [FigureFile] {
    let paint = FigurePaint.theme(config.figureTheme)
    switch screen {
    case .main:
      // A chart saying "no data" is no figure.
      let shown = shownCharts.map { FigureChart.kind($0.0) }
      return shown.filter { FigureDocument.hasData(self, $0) }.map { chart in
        FigureFile(
          name: chart.fileName + ".svg",
          svg: FigureDocument.svg(self, charts: [chart], width: 560, height: 380, paint: paint))
      }
    case .tokens(let id):
      guard let run = run(id), let record = tokenRecord(run) else { return [] }
      var one = self
      one.selected = [id]
      guard case .success(let svg) = TokenFigure.svg(one, probe: record.pair, paint: paint) else {
        return []
      }
      return [FigureFile(name: "tokens-probe\(record.pair).svg", svg: svg)]
    case .metrics:
      // The charts of the page shown (or the enlarged one).
      let layout = MetricsLayout(self)
      let perPage = layout.perPage(enlarged: metrics.enlarged)
      let keys = metricKeys
      let first = min(metrics.focus, max(0, keys.count - 1)) / perPage * perPage
      let shown = keys.dropFirst(first).prefix(perPage).map { FigureChart.key($0.key) }
      return shown.filter { FigureDocument.hasData(self, $0) }.map { chart in
        FigureFile(
          name: chart.fileName + ".svg",
          svg: FigureDocument.svg(self, charts: [chart], width: 560, height: 380, paint: paint))
      }
    case .detail:
      return []
    }
  }
}

extension DashboardState {
  /// What `e` does: the figures to write, or a notice that there are none.
  mutating func figureEffect() -> [Effect] {
    let files = screenFigures()
    guard !files.isEmpty else {
      notice = "no charts on this screen to write"
      return []
    }
    return [.writeFigures(files)]
  }
}

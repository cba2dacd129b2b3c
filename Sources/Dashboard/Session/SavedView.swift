/// Where the user left off in a watched directory (issue 30 item 9): what
/// they marked, collapsed and filtered, the screen and its key filter, the
/// x axis, smoothing and theme. Saved when the dashboard closes and put back
/// when it opens on the same directories (`SavedViewFile`); `--fresh` skips it.
///
/// Only what a person chose: nothing about the runs themselves, so a view
/// saved on yesterday's runs applies to today's.
public struct SavedView: Codable, Sendable, Equatable {
  /// What every file of ours says it is; anything else is someone else's file.
  public static let formatName = "dpotop-view"
  public static let currentVersion = 1

  public var format = SavedView.formatName
  public var version = SavedView.currentVersion
  /// The watched directories (absolute), so a file is never applied elsewhere.
  public var roots: [String] = []
  /// Ids (paths) of the marked runs.
  public var marks: [String] = []
  /// Keys of the collapsed sweeps and directories.
  public var collapsed: [String] = []
  /// The runs filter (`/`).
  public var filter = ""
  /// "main" or "metrics".
  public var screen = "main"
  /// The metrics screen's key filter and columns (nil: as many as fit).
  public var metricsFilter = ""
  public var metricsColumns: Int?
  /// The focused chart of the main view.
  public var chartFocus = 0
  /// The x axis (`XAxis.rawValue`).
  public var xAxis = "step"
  public var smoothing = false
  public var smoothingWeight = 0.6
  public var compare = false
  public var logScale = false
  public var clipOutliers = false
  /// The theme's name (the app loads it; `--theme` wins).
  public var theme: String?

  public init() {}

  /// Every field may be missing (a hand-edited or older file): it takes its
  /// default. A field of the wrong type makes the file unreadable.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    func field<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
      try c.decodeIfPresent(T.self, forKey: key) ?? fallback
    }
    let d = SavedView()
    format = try field(.format, "")
    version = try field(.version, d.version)
    roots = try field(.roots, d.roots)
    marks = try field(.marks, d.marks)
    collapsed = try field(.collapsed, d.collapsed)
    filter = try field(.filter, d.filter)
    screen = try field(.screen, d.screen)
    metricsFilter = try field(.metricsFilter, d.metricsFilter)
    metricsColumns = try c.decodeIfPresent(Int.self, forKey: .metricsColumns)
    chartFocus = try field(.chartFocus, d.chartFocus)
    xAxis = try field(.xAxis, d.xAxis)
    smoothing = try field(.smoothing, d.smoothing)
    smoothingWeight = try field(.smoothingWeight, d.smoothingWeight)
    compare = try field(.compare, d.compare)
    logScale = try field(.logScale, d.logScale)
    clipOutliers = try field(.clipOutliers, d.clipOutliers)
    theme = try c.decodeIfPresent(String.self, forKey: .theme)
  }
}

extension DashboardState {
  /// The view to save now, for `roots`.
  public func savedView(roots: [String]) -> SavedView {
    var v = SavedView()
    v.roots = roots
    v.marks = selected.union(pendingMarks).sorted()
    v.collapsed = collapsed.sorted()
    v.filter = filter
    v.screen = screen == .metrics ? "metrics" : "main"
    v.metricsFilter = metrics.filter
    v.metricsColumns = metrics.columns
    v.chartFocus = chartFocus
    v.xAxis = xAxis.rawValue
    v.smoothing = smoothing
    v.smoothingWeight = smoothingWeight
    v.compare = compareStyle
    v.logScale = logScale
    v.clipOutliers = clipOutliers
    v.theme = config.themes.indices.contains(theme) ? config.themes[theme] : nil
    return v
  }

  /// Puts a saved view back; called before the runs arrive, so marks wait
  /// in `pendingMarks` until their run shows up. Out-of-range values from a
  /// hand-edited file are clamped, never trusted.
  public mutating func restore(_ view: SavedView) {
    pendingMarks = Set(view.marks.prefix(10_000))
    selected = Set(pendingMarks.filter { runList.runIndex[$0] != nil })
    pendingMarks.subtract(selected)
    runList.collapsed = Set(view.collapsed.prefix(10_000))
    runList.filter = String(view.filter.prefix(200))
    metrics.filter = String(view.metricsFilter.prefix(200))
    metrics.columns = view.metricsColumns.map { min(max(1, $0), MetricsGrid.maxColumns) }
    metrics.enlarged = false
    screen = view.screen == "metrics" ? .metrics : .main
    chartFocus = min(max(0, view.chartFocus), ChartKind.allCases.count - 1)
    xAxis = XAxis(rawValue: view.xAxis) ?? .step
    smoothing = view.smoothing
    smoothingWeight = view.smoothingWeight.isFinite ? min(max(0, view.smoothingWeight), 0.99) : 0.6
    runList.seedLines = view.compare
    logScale = view.logScale
    clipOutliers = view.clipOutliers
    if let name = view.theme, let i = config.themes.firstIndex(of: name) { theme = i }
    refilter()
    syncSmoothing()
  }
}

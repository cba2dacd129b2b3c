extension DashboardState {
  /// Keys the metrics screen passes on to the main view's handling: they
  /// act on what every chart shares (smoothing, zoom, log scale, replay,
  /// theme), so the grid and an enlarged chart behave as the DPO charts do.
  private static let sharedChartKeys: Set<Key> = [
    .char("q"), .char("?"), .function(1), .char("s"), .char("+"), .char("="), .char("-"),
    .char("_"), .char("z"), .char("Z"), .char("0"), .char("["), .char("]"), .char("L"),
    .char("r"), .char("p"), .char("."), .char(","), .char("<"), .char(">"), .char("t"),
    .char("T"), .char("e"), .char("i"), .char("%"), .char("X"),
  ]

  /// Handles a key on the metrics screen.
  mutating func handleMetrics(_ key: Key) -> [Effect] {
    if metrics.editingFilter { return handleKeyFilter(key) }
    let layout = MetricsLayout(self)
    let count = metricKeys.count
    let perPage = layout.perPage(enlarged: metrics.enlarged)
    switch key {
    case .escape:
      if metrics.enlarged {
        metrics.enlarged = false
      } else if !metrics.filter.isEmpty {
        metrics.filter = ""
        metrics.focus = 0
      } else {
        screen = .main
      }
    case .char("M"): screen = .main
    case .enter: if count > 0 { metrics.enlarged.toggle() }
    case .char("/"): metrics.editingFilter = true
    case .left, .char("h"), .right, .char("l"):
      // Enlarged, Left/Right pan as on the main view; in the grid they move.
      if metrics.enlarged { return handleMain(key) }
      moveMetricsFocus(key == .left || key == .char("h") ? -1 : 1, count)
    case .up, .char("k"): moveMetricsFocus(metrics.enlarged ? -1 : -layout.columns, count)
    case .down, .char("j"): moveMetricsFocus(metrics.enlarged ? 1 : layout.columns, count)
    case .pageUp: moveMetricsFocus(-perPage, count)
    case .pageDown: moveMetricsFocus(perPage, count)
    case .char("g"): metrics.focus = 0
    case .char("G"): metrics.focus = max(0, count - 1)
    case .home, .end:
      // In replay they seek; otherwise first / last key.
      if mode == .replay { return handleMain(key) }
      metrics.focus = key == .home ? 0 : max(0, count - 1)
    case .char(" ") where mode == .replay: replay.togglePause(replayTimeline)
    case .char("{"): metrics.columns = max(1, layout.columns - 1)
    case .char("}"): metrics.columns = min(MetricsGrid.maxColumns, layout.columns + 1)
    default:
      if Self.sharedChartKeys.contains(key) { return handleMain(key) }
    }
    return []
  }

  private mutating func moveMetricsFocus(_ delta: Int, _ count: Int) {
    let current = min(metrics.focus, max(0, count - 1))
    metrics.focus = min(max(0, current + delta), max(0, count - 1))
  }

  /// Typing the key filter: each key refilters at once (focus back to the first).
  private mutating func handleKeyFilter(_ key: Key) -> [Effect] {
    switch key {
    case .enter:
      metrics.editingFilter = false
    case .escape:
      metrics.editingFilter = false
      metrics.filter = ""
    case .backspace, .delete:
      if !metrics.filter.isEmpty { metrics.filter.removeLast() }
    case .char(let c) where metrics.filter.count < 200:
      metrics.filter.append(c)
    default: return []
    }
    metrics.focus = 0
    return []
  }
}

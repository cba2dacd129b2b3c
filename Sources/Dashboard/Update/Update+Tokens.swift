import RunLog

extension DashboardState {
  /// Opens the token view on run `id` at its first probe, following the
  /// latest evaluation (live) or the replay position.
  mutating func openTokens(_ id: String) -> [Effect] {
    screen = .tokens(id)
    tokenProbe = 0
    tokenStep = nil
    tokenScroll = 0
    return [.requestProbes(id: id)]
  }

  /// The evaluation step the token view shows: the one picked with its
  /// keys, else the replay position, else (nil) the latest.
  var tokenViewStep: Int? {
    tokenStep ?? replayStep
  }

  /// The probe the token view shows, if the run has any.
  func tokenRecord(_ run: RunEntry) -> ProbeRecord? {
    guard let log = run.probes else { return nil }
    let pairs = log.pairs
    guard !pairs.isEmpty else { return nil }
    let pair = pairs[min(max(0, tokenProbe), pairs.count - 1)]
    return log.record(pair: pair, atOrBefore: tokenViewStep)
      ?? log.records.first { $0.pair == pair }
  }

  mutating func handleTokens(_ key: Key, _ id: String) -> [Effect] {
    let log = run(id)?.probes ?? ProbeLog()
    switch key {
    case .char("q"): return [.quit]
    case .escape, .enter, .backspace, .char("w"): screen = .main
    case .char("e"): return figureEffect()
    case .char("?"), .function(1): showHelp = true
    case .down, .char("j"): moveProbe(1, log)
    case .up, .char("k"): moveProbe(-1, log)
    case .right, .char("l"), .char("]"): moveEvaluation(1, log)
    case .left, .char("h"), .char("["): moveEvaluation(-1, log)
    case .home, .char("g"):
      tokenStep = log.steps.first
      tokenScroll = 0
    case .end, .char("G"):
      tokenStep = log.steps.last
      tokenScroll = 0
    case .pageDown: tokenScroll += max(1, height - 4)
    case .pageUp: tokenScroll = max(0, tokenScroll - max(1, height - 4))
    case .char("T"):
      guard !config.themes.isEmpty else { return [.setTheme("next")] }
      theme = (theme + 1) % config.themes.count
      return [.setTheme(config.themes[theme])]
    default: break
    }
    return []
  }

  /// Shows probe `n` (0-based among the logged probes) of the token view.
  mutating func showProbe(_ n: Int) {
    tokenProbe = max(0, n)
    tokenScroll = 0
  }

  /// Shows the evaluation at `step` (or the last before it) in the token view.
  mutating func showTokenStep(_ step: Int) {
    tokenStep = step
    tokenScroll = 0
  }

  private mutating func moveProbe(_ delta: Int, _ log: ProbeLog) {
    let count = log.pairs.count
    guard count > 0 else { return }
    tokenProbe = ((min(tokenProbe, count - 1) + delta) % count + count) % count
    tokenScroll = 0
  }

  private mutating func moveEvaluation(_ delta: Int, _ log: ProbeLog) {
    let steps = log.steps
    guard !steps.isEmpty else { return }
    let current = tokenViewStep ?? steps[steps.count - 1]
    let at = steps.lastIndex { $0 <= current } ?? 0
    tokenStep = steps[min(max(0, at + delta), steps.count - 1)]
    tokenScroll = 0
  }
}

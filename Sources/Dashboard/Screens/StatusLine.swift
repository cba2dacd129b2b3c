/// The bottom line: mode, time or replay position, counts and key hints.
struct StatusLine {
  let state: DashboardState

  func render(in rect: Rect, into grid: inout CellGrid) {
    guard !rect.isEmpty else { return }
    let ascii = state.config.glyphs == .ascii
    let bar = Style(.statusBar)
    grid.fill(rect, with: Cell(" ", bar))
    let sep = ascii ? " | " : " │ "
    var mode: String
    var parts: [String] = []
    var hints: String
    if state.mode == .replay {
      let clock = state.replay
      let timeline = state.replayTimeline
      let play = clock.playing ? (ascii ? ">" : "▶") : (ascii ? "||" : "⏸")
      mode = " REPLAY \(play) \(NumberFormat.trimZero(NumberFormat.fixed(clock.speed, 0)))x "
      parts.append("step \(clock.step)/\(timeline.lastStep)")
      parts.append(
        clock.pacing == .recordedTime && timeline.hasTimes ? "recorded time" : "by steps")
      hints = "p:pause .,:step <>:speed Home/End:seek r:live ?:help q:quit"
    } else {
      mode = " LIVE "
      if let run = state.cursorRun, let step = run.step {
        let plan = run.manifest.plannedSteps.map { "/\($0)" } ?? ""
        parts.append("step \(step)\(plan)")
      }
      hints = "?:help /:filter Space:mark Enter:detail s:smooth z:zoom r:replay q:quit"
    }
    if let now = state.now { parts.append(Self.clock(now)) }
    let bad = state.runs.reduce(0) { $0 + $1.badCount }
    if bad > 0 { parts.append("\(bad) bad line\(bad == 1 ? "" : "s")") }
    if state.editingFilter {
      mode = " FILTER "
      parts = ["/" + state.filter + "_"]
      hints = "type to filter  Enter:keep  Esc:clear"
    } else if case .detail = state.screen {
      hints = "Esc:back Up/Down:scroll r:reload log q:quit"
    } else if state.screen == .metrics {
      if state.metrics.editingFilter {
        mode = " KEYS "
        parts = ["/" + state.metrics.filter + "_"]
        hints = "regex (a glob when not one)  Enter:keep  Esc:clear"
      } else {
        hints =
          state.metrics.enlarged
          ? "Up/Down:key Enter/Esc:grid z:zoom s:smooth L:log r:replay q:quit"
          : "arrows:move Enter:enlarge /:keys {}:columns PgUp/PgDn:page Esc:back q:quit"
      }
    } else if case .tokens = state.screen {
      hints = "Up/Down:probe Left/Right:evaluation PgUp/PgDn:scroll Esc:back q:quit"
    }
    if state.sweepForm != nil {
      mode = " NEW SWEEP "
      hints = "Enter:launch Tab:next field Esc:close"
    }
    if let notice = state.notice {
      parts.insert(notice, at: 0)
    }
    for host in state.connections.keys.sorted().reversed() {
      parts.insert(state.connections[host]!, at: 0)
    }
    if state.showHelp { hints = "any key closes help" }
    var x = rect.x
    x += grid.put(
      SafeText(mode), x: x, y: rect.y, maxWidth: rect.width,
      style: Style(.statusBar, bold: true, reverse: true))
    let middle = parts.isEmpty ? " " : " " + parts.joined(separator: sep) + sep
    x += grid.put(SafeText(middle), x: x, y: rect.y, maxWidth: rect.maxX - x, style: bar)
    grid.put(
      SafeText(hints), x: x, y: rect.y, maxWidth: rect.maxX - x, style: Style(.statusBar, dim: true)
    )
  }

  /// `HH:MM:SS UTC` of Unix time `t`.
  static func clock(_ t: Double) -> String {
    guard t.isFinite else { return "--:--:--" }
    let s = ((Int(t.rounded(.down)) % 86_400) + 86_400) % 86_400
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    return "\(two(s / 3600)):\(two(s / 60 % 60)):\(two(s % 60)) UTC"
  }
}

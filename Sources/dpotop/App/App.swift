import Dashboard
import Foundation
import Live
import Remote
import RunLog
import Sweeps
import Terminal

/// What the dashboard is started with, from the command line.
struct AppOptions {
  /// Directories (or run directories) to watch.
  var roots: [String]
  /// What the status line says is shown.
  var rootsDescription: String
  /// The theme to start with.
  var theme: Theme
  /// Themes to cycle through and load by name.
  var library: ThemeLibrary
  /// ASCII charts even in a UTF-8 locale.
  var ascii = false
  /// Unicode glyphs whatever the locale says (`--utf8`; `GlyphRule`).
  var utf8 = false
  /// No colour (`--no-color` or `NO_COLOR`).
  var noColor = false
  /// Start in replay mode.
  var replay = false
  /// Ask the terminal for mouse reports (`--no-mouse` turns it off).
  var mouse = true
  /// Seconds between polls of each run.
  var pollInterval = 0.05
  /// Remote paths, already connected: their local copies are among `roots`.
  var remotes: [RemoteSync] = []
  /// Where the view is kept (nil: nowhere), and the view to start from.
  var viewFile: SavedViewFile?
  var savedView: SavedView?
  /// Why a saved view was ignored, for one notice.
  var viewNotice: String?
}

/// The dashboard's loop: terminal input, the run watcher's messages and
/// timer ticks all become `Msg`s; each goes through `update`; the effects it
/// returns are performed; the new state is rendered and drawn.
///
/// Main actor: it owns the terminal. It sleeps in `poll(2)` on the terminal
/// and the inbox's wake pipe, so an idle dashboard uses no CPU between ticks.
@MainActor
final class App {
  private let options: AppOptions
  /// Messages to print after the terminal is restored (theme warnings and the like).
  private(set) var notes: [String] = []
  private var quitRequested = false
  private var theme: Theme

  init(options: AppOptions) {
    self.options = options
    self.theme = options.theme
  }

  /// Runs until quit; returns the exit status. The terminal is restored on
  /// every way out of here (`defer`), on signals and on crashes.
  func run() throws(TerminalError) -> Int32 {
    let wake = try WakePipe()
    let inbox = Inbox(wake: wake)
    let terminal = try Terminal(
      theme: theme, noColor: options.noColor, wake: wake, mouse: options.mouse)
    defer { terminal.stop() }

    let config = DashboardConfig(
      glyphs: GlyphRule.glyphs(ascii: options.ascii, utf8: options.utf8) { terminal.isUTF8 },
      noColor: terminal.depth == .none, mode: options.replay ? .replay : .live,
      width: terminal.width, height: terminal.height, roots: options.rootsDescription,
      themes: [theme.name] + options.library.names().filter { $0 != theme.name })
    var dashboardConfig = config
    if !options.remotes.isEmpty { dashboardConfig.readOnly = RemoteRoots.readOnlyMessage }
    // Figures written with `e` are for paper and slides: the light theme.
    dashboardConfig.figureTheme = (try? options.library.load("light").theme) ?? .builtin
    var state = DashboardState(config: dashboardConfig)
    if let view = options.savedView { state.restore(view) }
    if let notice = options.viewNotice { _ = update(&state, .notice(notice)) }
    // Kept on every way out that restores the terminal (quit, signals).
    defer { saveView(state) }
    let watcher = RunWatcher(
      roots: options.roots, interval: options.pollInterval,
      remoteRoots: options.remotes.map(\.mirror.directory)
    ) { msgs in
      inbox.send(msgs)
      inbox.waitUntilDrained()
    }
    watcher.start()
    let runner = EffectRunner(watcher: watcher) { inbox.send($0) }
    for remote in options.remotes {
      let host = remote.mirror.target.host
      remote.start { status in
        inbox.send(.connection(host: host, problem: RemoteRoots.describe(status, host: host)))
      }
    }
    defer {
      for remote in options.remotes { remote.stop() }
      inbox.close()
      watcher.stop()
    }

    var nextTick = 0.0
    var dirty = true
    var lastCharted: [String] = []
    while true {
      if let signal = terminal.quitSignal {
        return signal == SIGINT ? 0 : 128 + signal
      }
      var msgs: [Msg] = []
      for event in terminal.readEvents() {
        switch event {
        case .key(let key): msgs.append(.key(key))
        case .mouse(let event): msgs.append(.mouse(event))
        case .resize: msgs.append(.resized(width: terminal.width, height: terminal.height))
        }
      }
      msgs += inbox.drain()
      let now = monotonicSeconds()
      if now >= nextTick {
        msgs.append(.tick(now: Date().timeIntervalSince1970))
        nextTick = now + state.tickInterval
      }
      for msg in msgs {
        perform(update(&state, msg), runner: runner, inbox: inbox, terminal: terminal)
        dirty = true
      }
      if quitRequested { return 0 }
      // The watcher reads the charted runs first (a big folder's first load).
      if dirty {
        let charted = state.chartRuns.map(\.id)
        if charted != lastCharted {
          watcher.prioritize(charted)
          lastCharted = charted
        }
      }
      if dirty {
        terminal.draw(render(state))
        dirty = false
      }
      let wait = max(0, nextTick - monotonicSeconds())
      terminal.wait(timeoutMs: Int((wait * 1000).rounded(.up)))
    }
  }

  /// Saves where the user left off; a directory that cannot be written
  /// only costs a note after the terminal is restored.
  private func saveView(_ state: DashboardState) {
    guard let file = options.viewFile else { return }
    if let problem = file.save(state.savedView(roots: file.roots)) { notes.append(problem) }
  }

  /// Does what `update` asked for: files and processes through the shared
  /// `EffectRunner` (slow ones answer later through the inbox), quitting
  /// and themes here, where the terminal is.
  private func perform(
    _ effects: [Effect], runner: EffectRunner, inbox: Inbox, terminal: Terminal
  ) {
    let done = runner.perform(effects)
    inbox.send(done.messages)
    for effect in done.unhandled {
      switch effect {
      case .quit:
        quitRequested = true
      case .setTheme(let name):
        if let message = switchTheme(name, terminal: terminal) { inbox.send(.notice(message)) }
      default:
        break
      }
    }
  }

  /// Loads theme `name` ("next": the one after the current theme) and redraws
  /// with it; returns what to tell the user (warnings, or why it failed).
  private func switchTheme(_ name: String, terminal: Terminal) -> String? {
    var target = name
    if name == "next" {
      let names = options.library.names()
      let i = names.firstIndex(of: theme.name).map { ($0 + 1) % names.count } ?? 0
      target = names.isEmpty ? Theme.builtin.name : names[i]
    }
    do {
      let loaded = try options.library.load(target)
      theme = loaded.theme
      notes += loaded.warnings
      terminal.setTheme(theme)
      if let first = loaded.warnings.first {
        return "theme \(theme.name): \(first)"
      }
      return "theme: \(theme.name)"
    } catch {
      notes.append("theme: \(error.description)")
      return "theme: \(error.description)"
    }
  }
}

import Dashboard
import Foundation
import Live
import RunLog
import Terminal

/// `dpotop render PATH...`: the dashboard screen as plain text, without a terminal.
///
/// Feeds the messages the live app gets (each run read whole through Live's
/// `RunPoller`, effects answered by Live's `EffectRunner`) to the same
/// `update`, then prints `render(state).plainText`: for bug reports, docs
/// and tests.
enum RenderCommand {
  /// The options, declared once: the parser and the help come from these.
  static let options: [OptionSpec] = [
    .value("size", "WxH", "screen size in cells", default: "120x40; 1x1 to 1000x1000"),
    .value("at", "STEP", "show replay at STEP: every chart cut at that step", default: "live view"),
    .flag("all", "mark every run for the charts", default: "the first run only"),
    .flag(
      "compare", "compare view: colour by beta, dash by objective, final-values table",
      default: "off; use with --all"),
    .flag(
      "ascii", "ASCII glyphs instead of braille and box drawing",
      default: "when the locale is not UTF-8, as in the dashboard"),
    .flag("utf8", "braille and box drawing even when the locale is not UTF-8"),
    .flag(
      "no-color", "series told apart by dash pattern/marker", default: "off; text has no colour"),
    .flag("smooth", "EMA smoothing on, weight 0.6", default: "off"),
    .flag("help-screen", "draw the help overlay on top", default: "off"),
    .flag("detail", "show the run-detail screen of the first run", default: "off"),
    .value(
      "screen", "NAME",
      "main, detail (as --detail), tokens: the token view of the first run's probes (probes.jsonl), or metrics",
      default: "main"),
    .value(
      "probe", "N", "with --screen tokens: the probe whose \"pair\" is N", default: "the first"),
    .value(
      "keys", "REGEX",
      "with --screen metrics: only keys matching REGEX (searched, any case; a glob over the whole key when not a valid regex)",
      default: "all"),
    .value(
      "columns", "N", "with --screen metrics: charts across, 1 to 8", default: "as many as fit"),
    .value(
      "ssh", "CMD",
      "for [user@]host:PATH arguments: the ssh command (default: $DPOTOP_SSH, else ssh); see 'dpotop watch --help'"
    ),
  ]

  static let command = Command(
    name: "render",
    summary: "print the dashboard screen for runs as plain text (no terminal needed)",
    help: """
      USAGE: dpotop render PATH|HOST:PATH... [--size WxH] [--at STEP] [--all] [--compare] [--ascii] [--utf8]
                                   [--no-color] [--smooth] [--help-screen] [--detail]
                                   [--screen main|detail|tokens|metrics] [--probe N]
                                   [--keys REGEX] [--columns N]

      Loads every run under each PATH (a run directory or a directory of runs),
      draws the dashboard into a WxH grid and prints it as text. Strings from
      run files are sanitized exactly as on screen.

      OPTIONS:
      \(OptionSpec.helpSection(options))

      Exits 0 when the screen was drawn (unreadable runs show their error), 2 on bad options.
      """,
    options: options, run: run)

  static func run(_ args: [String]) -> Int32 {
    let (parsed, size, at) = parsingArguments(help: "render") { () throws(OptionError) in
      let parsed = try Options(options).parse(args)
      let size = try Options.parseSize(parsed.string("size") ?? "120x40")
      let at = try parsed.string("at").map { text throws(OptionError) in
        guard let v = Int(text), v >= 0 else {
          throw OptionError("--at: '\(text)' is not a step (a whole number >= 0)")
        }
        return v
      }
      return (parsed, size, at)
    }
    guard !parsed.positional.isEmpty else {
      fail("render needs at least one PATH", hint: "see 'dpotop render --help'")
    }
    // host:PATH arguments are copied here first (docs/remote.md).
    let paths = RemoteRoots.localPaths(parsed.positional, sshOption: parsed.string("ssh"))
    let metrics = parsingArguments(help: "render") { () throws(OptionError) in
      try RenderMetrics(parsed)
    }
    var config = DashboardConfig(
      glyphs: GlyphRule.glyphs(ascii: parsed.flag("ascii"), utf8: parsed.flag("utf8")),
      noColor: parsed.flag("no-color"),
      mode: at == nil ? .live : .replay, width: size.0, height: size.1,
      roots: parsed.positional.joined(separator: " "))
    config.metricsColumns = metrics.columns
    var state = DashboardState(config: config)
    for path in paths {
      var isDir: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
        fail("no such file or directory: \(path)")
      }
      RunPoller.readAll(RunDiscovery.sources(under: path)) { msgs in
        for msg in msgs { _ = update(&state, msg) }
      }
    }
    var msgs: [Msg] = []
    if parsed.flag("all") {
      msgs.append(.key(.char("a")))
      msgs.append(.key(.char("g")))
    }
    if parsed.flag("compare") { msgs.append(.key(.char("C"))) }
    if parsed.flag("smooth") { msgs.append(.key(.char("s"))) }
    if let at { msgs.append(.seek(step: at)) }
    let tokens = parsingArguments(help: "render") { () throws(OptionError) in
      try RenderTokens(parsed)
    }
    // The detail and token screens are of the run under the cursor: when the
    // list opens on a sweep's header row, step down to its first run.
    let screenKeys = (parsed.flag("detail") ? [Msg.key(.enter)] : []) + tokens.messages
    for msg in msgs { _ = update(&state, msg) }
    msgs = []
    if !screenKeys.isEmpty {
      for _ in 0..<state.runs.count where state.cursorRun == nil { _ = update(&state, .key(.down)) }
    }
    msgs += screenKeys + metrics.messages
    if parsed.flag("help-screen") { msgs.append(.key(.char("?"))) }
    // Only the reads are performed (log tail, probes): a screen printed for
    // a bug report never starts, stops or writes anything.
    let runner = EffectRunner(watcher: nil) { _ in }
    for msg in msgs {
      let reads = update(&state, msg).filter {
        switch $0 {
        case .requestLogTail, .requestProbes: true
        default: false
        }
      }
      for answer in runner.perform(reads).messages {
        _ = update(&state, answer)
        if case .probes(let id, _) = answer { tokens.select(id, in: &state) }
      }
    }
    let text = render(state).plainText
    // What the terminal would show under this rule (an ellipsis is not ASCII).
    print(config.glyphs == .ascii ? asciiFallback(text) : text)
    return 0
  }

  /// Reads one run whole and tells the state about it: the messages the
  /// watcher sends for it, from the same `RunPoller`.
  static func load(_ source: RunSource, into state: inout DashboardState) {
    for msg in RunPoller(source: source).readAll() { _ = update(&state, msg) }
  }
}

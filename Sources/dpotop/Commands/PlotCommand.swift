import Dashboard
import Foundation
import RunLog

/// `dpotop plot PATH... --out FILE.svg`: the dashboard's charts as vector
/// figures for papers and slides. Options are parsed here; the drawing is
/// `Dashboard`'s (`FigureDocument`, `TokenFigure`).
enum PlotCommand {
  /// The options, declared once: the parser and the help come from these.
  static let options: [OptionSpec] = [
    .value("out", "FILE", "the SVG file to write ('-': standard output); required"),
    .value(
      "chart", "NAMES",
      "dashboard charts, comma-separated: \(FigureChart.names.joined(separator: ", ")), or tokens (the token view of the first run's probe)",
      default: "chosen-log-ratio; with --grid and no --key: every chart with data"),
    .value(
      "key", "REGEX",
      "a chart of every logged key matching REGEX (train and held-out series, one line per run in the compare view), e.g. 'task_acc'"
    ),
    .value(
      "runs", "FILTER",
      "only the runs passing FILTER, as the runs list's / filter ('dpo beta=0.1', 'objective=dpop seed=2')",
      default: "every run"),
    .flag("grid", "several charts in one figure", default: "one chart"),
    .value("columns", "N", "charts per row with --grid", default: "2; 1...8"),
    .value("size", "WxH", "each chart's size in px", default: "560x380; 100x100...4000x4000"),
    .value(
      "theme", "NAME", "light, dark, or any theme 'dpotop --list-themes' lists, or a .theme file",
      default: "light"),
    .flag("compare", "compare view even when not every run has a beta"),
    .flag("no-compare", "one colour per run, never the compare view"),
    .flag("smooth", "EMA smoothing, weight 0.6, as the dashboard's s key", default: "off"),
    .value(
      "probe", "N", "with --chart tokens: the probe whose \"pair\" is N", default: "the first"),
    .value(
      "ssh", "CMD", "for [user@]host:PATH arguments: the ssh command",
      default: "$DPOTOP_SSH, else ssh"),
  ]

  static let command = Command(
    name: "plot",
    summary: "write charts of runs as an SVG figure (for papers, slides, docs)",
    help: """
      USAGE: dpotop plot PATH|HOST:PATH... --out FILE.svg [--chart NAME[,NAME...]] [--key REGEX]
                         [--runs FILTER] [--grid] [--columns N] [--size WxH] [--theme NAME]
                         [--compare | --no-compare] [--smooth] [--probe N]

      Draws charts of every run under each PATH (found as the dashboard finds
      them) into one SVG file: the dashboard's chart with print axes (nice
      ticks, the step axis, the value axis and its unit, the zero line where
      it means something) and a legend naming every run. Several runs that
      all have a beta are drawn as the compare view: colour by beta, dash by
      objective, runs that differ only in seed as their mean over a min-max
      band. The same runs give the same bytes.

      OPTIONS:
      \(OptionSpec.helpSection(options))

      Exits 0 when the file was written, 2 on bad options, an unknown chart or
      key, a PATH with no runs, or a file that cannot be written.
      """,
    options: options, run: run)

  static func run(_ args: [String]) -> Int32 {
    let (parsed, size, columns, probe) = parsingArguments(help: "plot") {
      () throws(OptionError) in
      let parsed = try Options(options).parse(args)
      let size = try FigureInput.pixels(parsed.string("size") ?? "560x380")
      let columns = try parsed.int("columns", default: 2, in: 1...8)
      let probe = try parsed.string("probe").map { text throws(OptionError) in
        guard let v = Int(text), v >= 0 else {
          throw OptionError("--probe: '\(text)' is not a probe index (a whole number >= 0)")
        }
        return v
      }
      return (parsed, size, columns, probe)
    }
    let hint = "see 'dpotop plot --help'"
    guard !parsed.positional.isEmpty else { fail("plot needs at least one PATH", hint: hint) }
    guard let out = parsed.string("out") else { fail("plot needs --out FILE.svg", hint: hint) }
    if parsed.flag("compare") && parsed.flag("no-compare") {
      fail("--compare and --no-compare contradict each other", hint: hint)
    }
    let names = (parsed.string("chart") ?? "").split(separator: ",").map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    let tokens = names.contains("tokens")
    var charts: [FigureChart] = []
    for name in names where name != "tokens" {
      guard let chart = FigureChart.named(name) else {
        fail(
          "--chart: no chart named '\(name)'; known: "
            + (FigureChart.names + ["tokens"]).joined(separator: ", "))
      }
      charts.append(chart)
    }
    if tokens && (names.count > 1 || parsed.string("key") != nil) {
      fail("--chart tokens draws the token view alone (no other chart or --key)", hint: hint)
    }
    if probe != nil && !tokens { fail("--probe: only with --chart tokens", hint: hint) }
    let theme = FigureInput.theme(parsed.string("theme") ?? "light")
    var state = FigureInput.load(parsed.positional, ssh: parsed.string("ssh"), command: "plot")
    let compare: Bool? =
      parsed.flag("compare") ? true : parsed.flag("no-compare") ? false : nil
    let marked = state.markForFigure(
      filter: parsed.string("runs"), compare: compare, smooth: parsed.flag("smooth"))
    guard marked > 0 else {
      fail("--runs: no run passes '\(parsed.string("runs") ?? "")'", hint: hint)
    }
    if tokens {
      switch TokenFigure.svg(state, probe: probe, paint: .theme(theme)) {
      case .success(let svg): FigureInput.write(svg, to: out)
      case .failure(let problem): fail("--chart tokens: \(problem.description)")
      }
      return 0
    }
    if let pattern = parsed.string("key") {
      let regex: Regex<AnyRegexOutput>
      do { regex = try Regex(pattern) } catch {
        fail("--key: '\(pattern)' is not a regular expression (\(error))")
      }
      let keys = state.chartKeys
      let matching = keys.filter { $0.contains(regex) }
      guard !matching.isEmpty else {
        fail("--key: no logged key matches '\(pattern)'; keys: \(keys.joined(separator: ", "))")
      }
      charts += matching.map(FigureChart.key)
    }
    if charts.isEmpty {
      charts =
        parsed.flag("grid")
        ? ChartKind.allCases.map(FigureChart.kind).filter { FigureDocument.hasData(state, $0) }
        : [.kind(.chosenLogRatio)]
    }
    if charts.count > 1 && !parsed.flag("grid") {
      fail(
        "\(charts.count) charts asked for (\(charts.map(\.fileName).joined(separator: ", "))):"
          + " add --grid to draw them in one figure, or name one", hint: hint)
    }
    let svg = FigureDocument.svg(
      state, charts: charts, width: size.0, height: size.1, columns: columns,
      paint: .theme(theme))
    FigureInput.write(svg, to: out)
    return 0
  }
}

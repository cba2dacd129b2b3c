import Dashboard
import Foundation
import RunLog

/// `dpotop report PATH... --out report.html`: one self-contained HTML file
/// of runs to send to someone without a terminal (`Dashboard.HTMLReport`).
enum ReportCommand {
  /// The options, declared once: the parser and the help come from these.
  static let options: [OptionSpec] = [
    .value("out", "FILE", "the HTML file to write ('-': standard output); required"),
    .value("light", "THEME", "colours for light mode and print", default: "light"),
    .value("dark", "THEME", "colours for dark mode", default: "dark"),
    .value(
      "ssh", "CMD", "for [user@]host:PATH arguments: the ssh command",
      default: "$DPOTOP_SSH, else ssh"),
  ]

  static let command = Command(
    name: "report",
    summary: "write one self-contained HTML report of runs (tables, charts, token views)",
    help: """
      USAGE: dpotop report PATH|HOST:PATH... --out FILE.html [--light THEME] [--dark THEME]
                           [--ssh CMD]

      Writes one HTML file that opens offline in any browser (inline CSS and
      SVG only: no script, no network, no external font): the runs table with
      their settings and last values; per sweep or directory its charts (a
      sweep's as the compare view: colour by beta, dash by objective, seeds as
      a mean over a min-max band); the seed table of 'summary --group-seeds';
      and each run's token view of its first probe. It follows the reader's
      light or dark preference and prints on white. The same runs give the
      same bytes (no dates).

      OPTIONS:
      \(OptionSpec.helpSection(options))

      Exits 0 when the file was written, 2 on bad options, a PATH with no
      runs, or a file that cannot be written.
      """,
    options: options, run: run)

  static func run(_ args: [String]) -> Int32 {
    let hint = "see 'dpotop report --help'"
    let parsed = parsingArguments(help: "report") { () throws(OptionError) in
      try Options(options).parse(args)
    }
    guard !parsed.positional.isEmpty else { fail("report needs at least one PATH", hint: hint) }
    guard let out = parsed.string("out") else { fail("report needs --out FILE.html", hint: hint) }
    let light = FigureInput.theme(parsed.string("light") ?? "light")
    let dark = FigureInput.theme(parsed.string("dark") ?? "dark")
    let ssh = parsed.string("ssh")
    let state = FigureInput.load(parsed.positional, ssh: ssh, command: "report")
    // The seed table wants the 64-bit values the summary reads.
    var loaded: [LoadedRun] = []
    for path in RemoteRoots.localPaths(parsed.positional, sshOption: ssh) {
      loaded += ((try? LoadedRun.loadAll(under: path)) ?? []).map(\.run)
    }
    let report = HTMLReport(
      state: state, seeds: SeedGroupSummary(loaded), roots: parsed.positional, light: light,
      dark: dark)
    FigureInput.write(report.html(), to: out)
    return 0
  }
}

import Foundation
import RunLog

/// `dpotop summary PATH...`: a headless account of runs for scripts, CI and bug reports.
enum SummaryCommand {
  /// The options, declared once: the parser and the help come from these.
  static let options: [OptionSpec] = [
    .flag(
      "json",
      "machine-readable output: one JSON array with an object per run read (NaN and infinities as the strings \"NaN\", \"Infinity\", \"-Infinity\"); default: text"
    ),
    .flag(
      "group-seeds",
      "runs that differ only in seed (same sweep or directory, settings and name but for the seed) as one entry: per metric the mean, sample standard deviation, min and max over seeds of each run's last finite value, and n"
    ),
    .value(
      "ssh", "CMD",
      "for [user@]host:PATH arguments: the ssh command (default: $DPOTOP_SSH, else ssh); see 'dpotop watch --help'"
    ),
  ]

  static let command = Command(
    name: "summary",
    summary: "print each run's manifest essentials and per-metric statistics",
    help: """
      USAGE: dpotop summary PATH|HOST:PATH... [--json] [--group-seeds] [--ssh CMD]

      For every run at or under each PATH (a run directory, a directory of runs
      such as a sweep, a TRL / TensorBoard output directory, a metrics .jsonl or
      .csv file; found as the dashboard finds them), prints the
      run's manifest essentials and, per metric and split, the number of points,
      first and last step, last value, minimum and maximum (of finite values),
      and the number of bad lines the reader skipped.

      A run directory's metrics file may be missing (a run that has not logged
      yet). Text output shows control characters in names and keys as visible
      escapes (ESC shows as \\u{1b}).

      OPTIONS:
      \(OptionSpec.helpSection(options))

      A run whose run.json is damaged is still summarised (its metrics, and the
      manifest error naming the file and where), and makes the exit status 1.

      Exits 0 when every path was read, 1 when any path holds no run (each is
      named on stderr, the others are still printed), 2 on a usage error.
      """,
    options: options, run: run)

  static func run(_ args: [String]) -> Int32 {
    let parsed = parsingArguments(help: "summary") { () throws(OptionError) in
      try Options(options).parse(args)
    }
    guard !parsed.positional.isEmpty else {
      fail("summary needs at least one PATH", hint: "see 'dpotop summary --help'")
    }
    var status: Int32 = 0
    var jsonRuns: [String] = []
    var loaded: [LoadedRun] = []
    // host:PATH arguments are copied here first (docs/remote.md).
    for path in RemoteRoots.localPaths(parsed.positional, sshOption: parsed.string("ssh")) {
      do {
        // Every run under PATH, found as every command finds them (RunDiscovery):
        // dpotop's, TRL / HF Trainer output, TensorBoard, CSV, JSON lines, W&B.
        // Read on every core, each run summarised where it was read (SummaryItem).
        let (keep, json) = (parsed.flag("group-seeds"), parsed.flag("json"))
        for item in try LoadedRun.loadAll(
          under: path, transform: { SummaryItem($0, keep: keep, json: json) })
        {
          if let e = item.manifestError {
            // Shown with the run's metrics below; still a failure to report.
            FileHandle.standardError.write(Data("dpotop: \(e)\n".utf8))
            status = 1
          }
          if let run = item.run {
            loaded.append(run)
          } else if json {
            jsonRuns.append(item.printed)
          } else {
            print(item.printed)
          }
        }
      } catch {
        FileHandle.standardError.write(Data("dpotop: \(error.description)\n".utf8))
        status = 1
      }
    }
    if parsed.flag("group-seeds") {
      let groups = SeedGroupSummary(loaded)
      print(parsed.flag("json") ? groups.json() : groups.text(), terminator: "")
      if parsed.flag("json") { print() }
    } else if parsed.flag("json") {
      print("[" + jsonRuns.joined(separator: ",\n") + "]")
    }
    return status
  }
}

import Foundation
import RunLog

/// `dpotop export metrics PATH...`: every scalar of every run as CSV or
/// JSON (`RunLog.MetricsTable`), read at full 64-bit precision.
enum ExportMetricsCommand {
  /// The options, declared once: the parser and the help come from these.
  static let options: [OptionSpec] = [
    .value("csv", "FILE", "write CSV to FILE ('-': standard output)"),
    .value("json", "FILE", "write a JSON array of records to FILE ('-': standard output)"),
    .flag("wide", "one row per run and step, one column per key", default: "long"),
    .value(
      "ssh", "CMD", "for [user@]host:PATH arguments: the ssh command",
      default: "$DPOTOP_SSH, else ssh"),
  ]

  static let help = """
    USAGE: dpotop export metrics PATH|HOST:PATH... (--csv FILE | --json FILE) [--wide]
                                 [--ssh CMD]

    Writes every metric of every run under each PATH (found as the dashboard
    finds them: dpotop runs, TRL / TensorBoard / W&B / CSV output) to one file.

    Long format (default): one row per logged value, columns
      run,split,step,time,key,value
    (run: the run's path; split: train or eval; time: Unix seconds of the
    record, empty when not logged). --wide: one row per run and step, columns
    run, step, time, each training key, eval_time and each held-out key as
    eval_KEY (TRL's spelling), empty where a run logged nothing.

    Values are written exactly: the shortest decimal that reads back to the
    same 64-bit double. NaN and infinities are nan, inf, -inf in CSV (as
    pandas.read_csv reads them) and NaN, Infinity, -Infinity in JSON (as
    Python's json reads them; pandas.read_json is not exact: load JSON with
    pandas.DataFrame(json.load(f))). Rows are ordered by run,
    split, step; the same runs give the same bytes.

    OPTIONS:
    \(OptionSpec.helpSection(options))

    Exits 0 when the file was written, 1 when a PATH holds no run or cannot
    be read (named on stderr; nothing is written), 2 on bad options or a file
    that cannot be written.
    """

  static func run(_ args: [String]) -> Int32 {
    let hint = "see 'dpotop export metrics --help'"
    let parsed = parsingArguments(help: "export metrics") { () throws(OptionError) in
      try Options(options).parse(args)
    }
    guard !parsed.positional.isEmpty else {
      fail("export metrics needs at least one PATH", hint: hint)
    }
    let csv = parsed.string("csv")
    let json = parsed.string("json")
    guard (csv == nil) != (json == nil), let out = csv ?? json else {
      fail("export metrics needs exactly one of --csv FILE or --json FILE", hint: hint)
    }
    var runs: [MetricsTable.Run] = []
    for path in RemoteRoots.localPaths(parsed.positional, sshOption: parsed.string("ssh")) {
      do {
        for (run, _) in try LoadedRun.loadAll(under: path) {
          runs.append(MetricsTable.Run(name: RemoteRoots.remoteNames(run.path), store: run.store))
        }
      } catch {
        FileHandle.standardError.write(Data("dpotop: \(error.description)\n".utf8))
        return 1
      }
    }
    let table = MetricsTable(runs)
    let wide = parsed.flag("wide")
    let text =
      csv != nil
      ? (wide ? table.wideCSV() : table.longCSV()) : (wide ? table.wideJSON() : table.longJSON())
    FigureInput.write(text, to: out, option: csv != nil ? "--csv" : "--json")
    return 0
  }
}

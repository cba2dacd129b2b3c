import RunLog

/// What `dpotop summary` keeps of one run: made on the core that read it
/// (`LoadedRun.loadAll(under:transform:)`), so the run's series are let go
/// at once and a 1000-run folder costs its printed text, not its points.
/// Only `--group-seeds` needs the runs themselves (`run`).
struct SummaryItem: Sendable {
  var manifestError: String?
  /// The text block (notes included) or the JSON object, as asked.
  var printed: String
  /// The run whole, for `--group-seeds`.
  var run: LoadedRun?

  init(_ loaded: (run: LoadedRun, notes: [String]), keep: Bool, json: Bool) {
    let run = loaded.run
    manifestError = run.manifestError
    if keep {
      printed = ""
      self.run = run
    } else if json {
      printed = RemoteRoots.remoteNames(RunSummary(run).json())
    } else {
      var text = RemoteRoots.remoteNames(RunSummary(run).text())
      for note in loaded.notes { text += "  note: \(visible(note))\n" }
      printed = text
    }
  }
}

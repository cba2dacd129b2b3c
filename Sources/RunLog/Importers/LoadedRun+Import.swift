/// Loading any kind of run whole, for `dpotop summary` and `render`.
extension LoadedRun {
  /// Loads a dpotop run directory or `metrics.jsonl` (as `load`), or else a
  /// run another trainer wrote: a TRL / HF Trainer output directory, a
  /// TensorBoard log directory or event file, or a metrics CSV file. A run
  /// directory of dpotop's whose trainer was TRL (`run.json` and TRL output,
  /// no `metrics.jsonl`) gets its manifest from `run.json`, its metrics from TRL's files.
  ///
  /// The imported run's manifest is the one its importer assembles; its
  /// notes (e.g. derived series) are returned alongside.
  public static func loadAny(_ path: String) throws(RunLogError) -> (
    run: LoadedRun, notes: [String]
  ) {
    if path.hasSuffix(".jsonl") { return (try load(path), []) }
    guard let source = RunDiscovery.source(at: path), !(source is NativeRunSource) else {
      return (try load(path), [])
    }
    var store = SeriesStore()
    let poll = try source.poll(into: &store)
    if let csv = source as? CSVRunSource { csv.finish(into: &store) }
    if let wandb = source as? WandbRunSource { wandb.finish(into: &store) }
    let manifest = try source.manifest()
    let run = LoadedRun(
      path: path, manifest: manifest, store: store, lineCount: poll.records + source.badCount,
      badCount: source.badCount, recentBad: source.recentBad)
    return (run, source.notes)
  }
}

/// Loading runs whole through discovery, for `dpotop summary` and `render`.
extension LoadedRun {
  /// Every run at or under `path` (`RunDiscovery`), each read whole with its
  /// notes (e.g. derived series), sorted by path. Throws when `path` is
  /// missing or holds no run.
  public static func loadAll(under path: String) throws(RunLogError) -> [(
    run: LoadedRun, notes: [String]
  )] {
    guard FileStamp.of(path) != nil || isDirectory(path) else {
      throw RunLogError(.missing(path: path))
    }
    return try loadAll(under: path) { $0 }
  }

  /// Every run at or under `path`, read whole on every core
  /// (`OrderedParallel`) and turned by `transform` into what the caller
  /// keeps (a summary's text: the run's series are let go as soon as it is
  /// made, so a 1000-run folder is never held whole). In path order; the
  /// first run that cannot be read (in that order) is the error thrown.
  public static func loadAll<T>(
    under path: String, transform: @escaping @Sendable ((run: LoadedRun, notes: [String])) -> T
  ) throws(RunLogError) -> [T] {
    guard FileStamp.of(path) != nil || isDirectory(path) else {
      throw RunLogError(.missing(path: path))
    }
    let sources = RunDiscovery.sources(under: path).map(Handoff.init)
    guard !sources.isEmpty else { throw noRuns(path) }
    var out: [T] = []
    var failure: RunLogError?
    OrderedParallel.forEach(sources.count) { i -> Result<T, RunLogError> in
      do throws(RunLogError) {
        return .success(transform(try load(sources[i].value)))
      } catch {
        return .failure(error)
      }
    } deliver: { _, result in
      switch result {
      case .success(let value): if failure == nil { out.append(value) }
      case .failure(let error): if failure == nil { failure = error }
      }
    }
    if let failure { throw failure }
    return out
  }

  /// `path` itself as one run of any kind (`RunDiscovery.source(at:)`), read whole.
  public static func loadAny(_ path: String) throws(RunLogError) -> (
    run: LoadedRun, notes: [String]
  ) {
    guard FileStamp.of(path) != nil || isDirectory(path) else {
      throw RunLogError(.missing(path: path))
    }
    guard let source = RunDiscovery.source(at: path) else { throw noRuns(path) }
    return try load(source)
  }

  /// Reads `source` whole: its metrics, then its manifest. A manifest that
  /// cannot be read (a damaged run.json) is `manifestError`; the metrics stay.
  public static func load(_ source: RunSource) throws(RunLogError) -> (
    run: LoadedRun, notes: [String]
  ) {
    var store = SeriesStore()
    let poll = try source.poll(into: &store)
    if let csv = source as? CSVRunSource { csv.finish(into: &store) }
    if let wandb = source as? WandbRunSource { wandb.finish(into: &store) }
    var manifest: RunManifest?
    var manifestError: String?
    do {
      manifest = try source.manifest()
    } catch {
      manifestError = error.description
    }
    let run = LoadedRun(
      path: source.id, manifest: manifest, store: store,
      lineCount: source.lineCount ?? poll.records + source.badCount,
      badCount: source.badCount, recentBad: source.recentBad, manifestError: manifestError)
    return (run, source.notes)
  }

  private static func noRuns(_ path: String) -> RunLogError {
    RunLogError(
      .notARun(path: path, reason: "no runs found"),
      hint:
        "give a run directory (with run.json or metrics.jsonl), a directory of runs, "
        + "a TRL / TensorBoard output directory, or a metrics .jsonl / .csv file")
  }
}

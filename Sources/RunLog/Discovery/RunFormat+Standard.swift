import Foundation

/// The kinds of run dpotop reads (`RunDiscovery.formats`, docs/importers.md).
extension RunFormat {
  /// One of dpotop's run directories: `run.json` (+ `metrics.jsonl`).
  public static let dpotop = RunFormat(
    name: "dpotop", isDirectory: true,
    recognizes: { path, tree in tree.isFile(join(path, RunDirectory.manifestName)) },
    open: { NativeRunSource(path: $0) })

  /// A run directory dpotop made for another trainer (`sweep --preset trl`):
  /// `run.json` is ours, the metrics are TRL's output in the same directory
  /// (no `metrics.jsonl`). Told by TRL's files, or before they exist by a
  /// trainer other than ours in `run.json`.
  public static let dpotopWithTrainerOutput = RunFormat(
    name: "dpotop+trl", isDirectory: true,
    recognizes: { path, tree in
      let manifest = join(path, RunDirectory.manifestName)
      guard tree.isFile(manifest), !tree.isFile(join(path, RunDirectory.metricsName)) else {
        return false
      }
      if isTrainerOutput(path, tree) { return true }
      let head = tree.head(manifest, count: 1 << 20) ?? []
      let trainer = (try? RunManifest.decode(Data(head), path: manifest))?.trainer ?? "dpotop"
      return trainer != "dpotop"
    },
    open: { TRLRunSource(runDirectory: $0) })

  /// HF Trainer / TRL output or a TensorBoard log directory (`TRLRunSource`):
  /// `trainer_state.json` (here or in `checkpoint-*/`), event files here or in
  /// `runs/*/`, or JSON-lines metrics logs here (a `metrics.jsonl` without
  /// `run.json`: a log from another tool).
  public static let trainerOutput = RunFormat(
    name: "trl", isDirectory: true,
    recognizes: { path, tree in isTrainerOutput(path, tree) },
    open: { TRLRunSource(path: $0) })

  /// A `*.csv` file whose header names a `step` column (`CSVRunSource`).
  public static let metricsCSV = RunFormat(
    name: "csv", isDirectory: false,
    recognizes: { path, tree in path.hasSuffix(".csv") && CSVRunSource.looksLikeMetrics(path, tree)
    },
    open: { CSVRunSource(path: $0) })

  /// A `*.csv` file named directly: CSV whatever its header (a header
  /// without a step column, or longer than `CSVMetricsParser.maxRowBytes`,
  /// is then said clearly as a bad row, never read as something else).
  public static let givenCSV = RunFormat(
    name: "csv", isDirectory: false, onlyWhenGiven: true,
    recognizes: { path, _ in path.lowercased().hasSuffix(".csv") },
    open: { CSVRunSource(path: $0) })

  /// A TensorBoard event file named directly: its directory is the run.
  public static let eventFile = RunFormat(
    name: "tfevents", isDirectory: false, onlyWhenGiven: true,
    recognizes: { path, _ in
      (path as NSString).lastPathComponent.hasPrefix("events.out.tfevents.")
    },
    open: { TRLRunSource(path: ($0 as NSString).deletingLastPathComponent) })

  /// A JSON-lines metrics file named directly (`*.jsonl`): read whole by the
  /// one JSON-lines parser, with dpotop's key names for `metrics.jsonl` and
  /// the importers' for any other name.
  public static let metricsLogFile = RunFormat(
    name: "jsonl", isDirectory: false, onlyWhenGiven: true,
    recognizes: { path, _ in path.hasSuffix(".jsonl") },
    open: { MetricsFileSource(path: $0) })

  /// True when `dir` holds HF Trainer / TRL output or TensorBoard logs of one run.
  static func isTrainerOutput(_ dir: String, _ tree: any FileTree) -> Bool {
    if TRLRunSource.trainerStatePath(in: dir, tree) != nil { return true }
    if !TRLRunSource.eventFiles(in: dir, depth: 0, tree).isEmpty { return true }
    if !MetricsLogSniffer.logs(in: dir, tree).isEmpty { return true }
    let runs = join(dir, "runs")
    return tree.isDirectory(runs) && !TRLRunSource.eventFiles(in: runs, depth: 2, tree).isEmpty
  }
}

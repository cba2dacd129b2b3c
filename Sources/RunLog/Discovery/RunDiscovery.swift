import Foundation

/// Finds runs under a directory: dpotop run directories (with `run.json`;
/// one without `metrics.jsonl` but with TRL output in it is read through the
/// TRL importer, its manifest still `run.json`) and, through the importers,
/// runs written by other trainers:
///
/// - a directory with `trainer_state.json` (itself or in `checkpoint-*/`) or
///   TensorBoard event files (itself, or in `runs/*/` as HF Trainer writes
///   them) or JSON-lines metrics logs is one run (`TRLRunSource`), named
///   after the directory;
/// - a `*.csv` file whose header names a `step` column is one run (`CSVRunSource`).
///
/// The walk is bounded (`maxDepth`, `maxEntries`) so pointing dpotop at `/`
/// or a huge tree cannot hang it, and it never follows symbolic links into
/// loops (a directory is visited once per device/inode).
public enum RunDiscovery {
  /// How deep below the root the walk goes.
  public static let maxDepth = 4
  /// How many directory entries one walk looks at, at most.
  public static let maxEntries = 200_000

  /// Every run found under `root` (or `root` itself when it is a run), sorted by path.
  public static func sources(under root: String) -> [RunSource] {
    var found: [RunSource] = []
    if !isDirectory(root) {
      // A single file given directly: a metrics CSV or an event file.
      return source(at: root).map { [$0] } ?? []
    }
    var seen = Set<[UInt64]>()
    var budget = maxEntries
    walk(root, depth: 0, seen: &seen, budget: &budget, found: &found)
    return found.sorted { $0.id < $1.id }
  }

  /// The source for `path` if it is a run itself, without descending: a
  /// run directory, a TRL/HF output or TensorBoard log directory, or a metrics CSV file.
  public static func source(at path: String) -> RunSource? {
    if RunDirectory.isRun(at: path) {
      // A run dpotop launched with another trainer (`sweep --preset trl`):
      // run.json is ours, the metrics are TRL's output in the same directory.
      // Told by TRL's files, or before they exist by a trainer other than ours in run.json.
      let dir = RunDirectory(path: path)
      if FileStamp.of(dir.metricsPath) == nil,
        isTrainerOutput(path) || ((try? dir.readManifest())?.trainer ?? "dpotop") != "dpotop"
      {
        return TRLRunSource(runDirectory: path)
      }
      return NativeRunSource(path: path)
    }
    if isDirectory(path) {
      if WandbRunSource.isRun(path) { return WandbRunSource(path: path) }
      return isTrainerOutput(path) ? TRLRunSource(path: path) : nil
    }
    if path.hasSuffix(".csv"), CSVRunSource.looksLikeMetrics(path) {
      return CSVRunSource(path: path)
    }
    if path.hasSuffix(".wandb") {
      return WandbRunSource(path: (path as NSString).deletingLastPathComponent)
    }
    if (path as NSString).lastPathComponent.hasPrefix("events.out.tfevents.") {
      return TRLRunSource(path: (path as NSString).deletingLastPathComponent)
    }
    return nil
  }

  /// True when `dir` holds HF Trainer / TRL output or TensorBoard logs of one run:
  /// `trainer_state.json` (here or in `checkpoint-*/`), event files or JSON-lines
  /// metrics logs here, or event files in `runs/*/` (HF Trainer's default `logging_dir`).
  static func isTrainerOutput(_ dir: String) -> Bool {
    if TRLRunSource.trainerStatePath(in: dir) != nil { return true }
    if !TRLRunSource.eventFiles(in: dir, depth: 0).isEmpty { return true }
    if !JSONLFileReader.logs(in: dir).isEmpty { return true }
    let runs = join(dir, "runs")
    return isDirectory(runs) && !TRLRunSource.eventFiles(in: runs, depth: 2).isEmpty
  }

  private static func walk(
    _ path: String, depth: Int, seen: inout Set<[UInt64]>, budget: inout Int,
    found: inout [RunSource]
  ) {
    var st = stat()
    guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { return }
    guard seen.insert([UInt64(st.st_dev), UInt64(st.st_ino)]).inserted else { return }
    if let run = source(at: path) {
      found.append(run)
      return
    }
    guard depth < maxDepth, budget > 0 else { return }
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
    budget -= names.count
    for name in names.sorted() where !name.hasPrefix(".") {
      let child = join(path, name)
      // W&B's `wandb/latest-run` links to a run directory next to it: not a second run.
      if name == "latest-run", isSymbolicLink(child) { continue }
      if name.hasSuffix(".csv") {
        if CSVRunSource.looksLikeMetrics(child) { found.append(CSVRunSource(path: child)) }
        continue
      }
      walk(child, depth: depth + 1, seen: &seen, budget: &budget, found: &found)
    }
  }
}

/// True when `path` itself is a symbolic link.
private func isSymbolicLink(_ path: String) -> Bool {
  var st = stat()
  return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK
}

import Foundation

/// A run read whole from disk: its manifest (if any), its series and the
/// reader's account of bad lines. What `dpotop summary` and `render` use.
public struct LoadedRun: Sendable {
  /// The path given (a run directory or a metrics file).
  public var path: String
  /// The manifest, when the path is a run directory.
  public var manifest: RunManifest?
  /// Every metric read.
  public var store: SeriesStore
  /// Lines read in all, bad lines among them, and the last few bad ones.
  public var lineCount: Int
  public var badCount: Int
  public var recentBad: [BadLine]
  /// Why the manifest could not be read (a damaged run.json), when it could
  /// not: the metrics are still loaded and shown.
  public var manifestError: String?

  /// Loads a run directory (with `run.json`) or a bare `metrics.jsonl` file.
  public static func load(_ path: String) throws(RunLogError) -> LoadedRun {
    var metricsPath = path
    var manifest: RunManifest?
    var manifestError: String?
    var st = stat()
    guard stat(path, &st) == 0 else { throw RunLogError(.missing(path: path)) }
    if (st.st_mode & S_IFMT) == S_IFDIR {
      guard RunDirectory.isRun(at: path) else {
        throw RunLogError(
          .notARun(path: path, reason: "no \(RunDirectory.manifestName) in this directory"),
          hint: "give a run directory (with run.json) or a metrics.jsonl file")
      }
      let dir = RunDirectory(path: path)
      do {
        manifest = try dir.readManifest()
      } catch {
        // A damaged run.json: its metrics are still worth showing.
        manifestError = error.description
      }
      metricsPath = dir.metricsPath
    }
    var store = SeriesStore()
    let reader = TailReader(path: metricsPath)
    do {
      try reader.poll(into: &store)
    } catch let error {
      // A run directory whose trainer has not written a metric yet is still a run.
      guard manifest != nil || manifestError != nil, case .missing = error.kind else { throw error }
    }
    return LoadedRun(
      path: path, manifest: manifest, store: store, lineCount: reader.lineCount,
      badCount: reader.badCount, recentBad: reader.recentBad, manifestError: manifestError)
  }
}

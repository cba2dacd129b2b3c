import Foundation

/// The one run discovery: every command that takes PATHs (the dashboard,
/// `watch`, `render`, `summary`) turns each PATH into runs here.
///
/// API:
/// - `RunDiscovery.sources(under: path) -> [RunSource]`: every run at or
///   under `path` on the local disk (a run directory, a directory of runs, a
///   sweep directory, a TRL output directory, a single file), sorted by path.
///   What the commands call.
/// - `RunDiscovery.find(under: path, in: tree) -> [FoundRun]`: the same walk
///   on any `FileTree`, answering (path, `RunFormat`) without opening
///   anything; `FoundRun.open()` makes the local `RunSource`. A remote host
///   plugs in here: give it a `FileTree` over the host's files and open each
///   found run with a reader fed the remote bytes, by `found.format.name`.
/// - `RunDiscovery.source(at: path)`: `path` itself as a run, without descending.
/// - `RunDiscovery.formats`: the kinds of run, in order of precedence (a
///   directory is the run of the first format that recognises it, and the
///   walk does not descend into a run). A new kind of run (e.g. a W&B
///   `wandb/run-*` directory) is a `RunFormat` (a name, a recognizer that
///   asks only the `FileTree`, an `open` making its `RunSource`) defined in
///   its own file and added to this list.
///
/// The walk is bounded (`maxDepth`, `maxEntries`) so pointing dpotop at `/`
/// or a huge tree cannot hang it, never follows symbolic links into loops (a
/// directory is visited once per device/inode), and skips hidden entries.
public enum RunDiscovery {
  /// How deep below the root the walk goes.
  public static let maxDepth = 4
  /// How many directory entries one walk looks at, at most.
  public static let maxEntries = 200_000

  /// Every kind of run, in order of precedence.
  public static let formats: [RunFormat] = [
    .dpotopWithTrainerOutput, .dpotop, .wandbRun, .trainerOutput, .metricsCSV, .givenCSV,
    .eventFile, .metricsLogFile, .wandbFile,
  ]

  /// Names the walk does not enter: W&B's `wandb/latest-run` is a link to a
  /// run directory beside it, which would otherwise be found twice (or, on a
  /// tree without inode numbers, under a name that moves to the next run).
  /// Named directly, it is still a run.
  static let aliasNames: Set<String> = ["latest-run"]

  /// Every run found at or under `root` on the local disk, opened, sorted by path.
  public static func sources(under root: String) -> [RunSource] {
    find(under: root).map { $0.open() }
  }

  /// The source for `path` if it is a run itself, without descending.
  public static func source(at path: String) -> RunSource? {
    format(of: path, in: LocalTree(), given: true).map { $0.open(path) }
  }

  /// Every run at or under `root` in `tree`, sorted by path.
  public static func find(under root: String, in tree: any FileTree = LocalTree()) -> [FoundRun] {
    guard let entry = tree.entry(root) else { return [] }
    if !entry.isDirectory {
      // A single file given directly (a CSV, an event file, a JSON-lines log).
      return format(of: root, in: tree, given: true).map { [FoundRun(path: root, format: $0)] }
        ?? []
    }
    var found: [FoundRun] = []
    var seen = Set<[UInt64]>()
    var budget = maxEntries
    walk(root, entry, tree, depth: 0, seen: &seen, budget: &budget, found: &found)
    return found.sorted { $0.path < $1.path }
  }

  /// The first format recognising `path`; `given` when the path was named by
  /// the user (formats that only count then, like a lone event file, apply).
  static func format(of path: String, in tree: any FileTree, given: Bool) -> RunFormat? {
    guard let entry = tree.entry(path) else { return nil }
    return formats.first { f in
      f.isDirectory == entry.isDirectory && (given || !f.onlyWhenGiven) && f.recognizes(path, tree)
    }
  }

  private static func walk(
    _ path: String, _ entry: FileEntry, _ tree: any FileTree, depth: Int,
    seen: inout Set<[UInt64]>, budget: inout Int, found: inout [FoundRun]
  ) {
    if let id = entry.identity, !seen.insert(id).inserted { return }
    if let f = format(of: path, in: tree, given: depth == 0) {
      found.append(FoundRun(path: path, format: f))
      return
    }
    guard depth < maxDepth, budget > 0, let names = tree.list(path) else { return }
    budget -= names.count
    for name in names.sorted() where !name.hasPrefix(".") && !aliasNames.contains(name) {
      let child = join(path, name)
      guard let e = tree.entry(child) else { continue }
      if e.isDirectory {
        walk(child, e, tree, depth: depth + 1, seen: &seen, budget: &budget, found: &found)
      } else if let f = format(of: child, in: tree, given: false) {
        found.append(FoundRun(path: child, format: f))
      }
    }
  }
}

/// A run discovery found: where, and of which format.
public struct FoundRun: Sendable {
  /// The run's path (its directory, or its file for a single-file run).
  public var path: String
  /// How it is laid out.
  public var format: RunFormat

  public init(path: String, format: RunFormat) {
    self.path = path
    self.format = format
  }

  /// A source reading it from the local disk.
  public func open() -> RunSource { format.open(path) }
}

/// One way a run can be laid out: how to recognise it and how to read it.
public struct RunFormat: Sendable {
  /// A stable name (`dpotop`, `dpotop+trl`, `trl`, `csv`, `tfevents`, `jsonl`).
  public let name: String
  /// Whether the run is a directory (else a single file).
  public let isDirectory: Bool
  /// True for a file that is a run only when named directly (a lone event
  /// file, a JSON-lines log): during a walk its directory is the run.
  public let onlyWhenGiven: Bool
  /// True when `path` (already known to be a directory / a file as
  /// `isDirectory` says) is such a run. Asks only `tree`, reads at most a
  /// bounded head of a few files: discovery runs on every dashboard refresh.
  public let recognizes: @Sendable (_ path: String, _ tree: any FileTree) -> Bool
  /// A source reading the local run at `path`.
  public let open: @Sendable (_ path: String) -> RunSource

  public init(
    name: String, isDirectory: Bool, onlyWhenGiven: Bool = false,
    recognizes: @escaping @Sendable (String, any FileTree) -> Bool,
    open: @escaping @Sendable (String) -> RunSource
  ) {
    self.name = name
    self.isDirectory = isDirectory
    self.onlyWhenGiven = onlyWhenGiven
    self.recognizes = recognizes
    self.open = open
  }
}

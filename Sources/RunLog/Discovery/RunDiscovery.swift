import Foundation

/// Finds runs under a directory: dpotop run directories (with `run.json`)
/// and, through the importers, runs written by other trainers.
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
    var seen = Set<[UInt64]>()
    var budget = maxEntries
    walk(root, depth: 0, seen: &seen, budget: &budget, found: &found)
    return found.sorted { $0.id < $1.id }
  }

  /// The source for `path` if it is a run itself, without descending.
  public static func source(at path: String) -> RunSource? {
    if RunDirectory.isRun(at: path) { return NativeRunSource(path: path) }
    return nil
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
      walk(join(path, name), depth: depth + 1, seen: &seen, budget: &budget, found: &found)
    }
  }
}

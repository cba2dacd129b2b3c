import Foundation
import RunLog

/// `dpotop-bench read`, part two: the same JSON-lines file read through every
/// path a user can give it — the file itself, a run directory (with
/// run.json), a bare directory (no run.json: a log from another tool) and a
/// TRL output directory (`log_history.jsonl`, the importer's names) — each
/// through discovery and `LoadedRun`, as `dpotop summary` reads it. With one
/// parser behind every path, each should be within 1.2x of the fastest.
enum ReadPathsBench {
  /// Times each path (best of `rounds`) and prints them with the ratio to the fastest.
  static func run(_ file: String, rounds: Int = 4) {
    let root = FileManager.default.temporaryDirectory.path + "/dpotop-bench-paths-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: root) }
    let absolute = URL(fileURLWithPath: file).standardizedFileURL.path
    var paths: [(name: String, path: String)] = [("file", absolute)]
    do {
      let run = RunDirectory(path: root + "/run")
      try run.create()
      try run.writeManifest(RunManifest(id: "bench", name: "bench", createdAt: 0))
      try FileManager.default.createSymbolicLink(
        atPath: run.metricsPath, withDestinationPath: absolute)
      paths.append(("run directory", run.path))
      try FileManager.default.createDirectory(
        atPath: root + "/bare", withIntermediateDirectories: true)
      try FileManager.default.createSymbolicLink(
        atPath: root + "/bare/metrics.jsonl", withDestinationPath: absolute)
      paths.append(("bare directory", root + "/bare"))
      try FileManager.default.createDirectory(
        atPath: root + "/trl", withIntermediateDirectories: true)
      try FileManager.default.createSymbolicLink(
        atPath: root + "/trl/log_history.jsonl", withDestinationPath: absolute)
      paths.append(("TRL importer", root + "/trl"))
    } catch {
      fail("cannot set up the path benchmark in \(root): \(error)")
    }
    // Rounds alternate between the paths, so a change in the machine's load
    // during the run falls on every path alike.
    var times = [Double](repeating: .infinity, count: paths.count)
    var counts = [Int](repeating: 0, count: paths.count)
    for round in 0..<rounds {
      // Each round starts at another path: the first read after a store is
      // freed was measured faster in one process, whichever path it was.
      for j in paths.indices {
        let i = (j + round) % paths.count
        let p = paths[i]
        let t = monotonicSeconds()
        let runs: [(run: LoadedRun, notes: [String])]
        do {
          runs = try LoadedRun.loadAll(under: p.path)
        } catch {
          fail(error.description)
        }
        times[i] = min(times[i], monotonicSeconds() - t)
        counts[i] = runs.reduce(0) { total, r in
          total + r.run.store.keys(.train).reduce(0) { $0 + (r.run.store.series($1)?.count ?? 0) }
        }
      }
    }
    let fastest = times.min() ?? 1
    var load = [0.0]
    _ = getloadavg(&load, 1)
    print(
      "through every path (discovery + whole read, as 'dpotop summary PATH'; best of \(rounds), alternating, each round starting at the next path):"
    )
    for (i, p) in paths.enumerated() {
      let name = (p.name + ":").padding(toLength: 16, withPad: " ", startingAt: 0)
      print(
        "  \(name)\(ReadBench.secs(times[i]))  \(ReadBench.ratio(times[i] / fastest)) of the fastest"
          + "  (\(counts[i]) points)")
    }
    let worst = (times.max() ?? 0) / fastest
    print(
      "  slowest / fastest path: \(ReadBench.ratio(worst))  target <= 1.20x  (load "
        + String(format: "%.1f", load[0]) + ")")
    if Set(counts).count > 1 { print("WARNING: the paths read different numbers of points") }
  }
}

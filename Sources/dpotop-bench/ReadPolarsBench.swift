import Foundation
import Processes
import RunLog

/// `dpotop-bench read --vs-polars`: Polars' `read_ndjson` (Rust, every core)
/// on the same metrics.jsonl, side by side with ours: time (best of
/// `rounds`), peak memory of each, and the ratios.
///
/// Polars runs in its own Python process (`PeerPython`), so its peak is that
/// process's (`ru_maxrss`); ours is this process's peak during one read. Both
/// are also given as what the read added over the resident size before it
/// (for Python: after `import polars`).
enum ReadPolarsBench {

  /// One Polars read: seconds, peak bytes, bytes before the read, points, version, threads.
  struct Run {
    var seconds: Double
    var peak: Int
    var before: Int
    var points: Int
    var version: String
    var threads: Int
  }

  typealias Outcome = PeerOutcome<Run>

  /// Runs the Polars script once on `path`.
  static func polars(_ path: String) -> Outcome {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [PeerPython.executable, PeerScripts.path("read_polars.py"), path]
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    do { try process.run() } catch { return .missing("cannot run \(PeerPython.executable)") }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errors = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    if process.terminationStatus == 3 || process.terminationStatus == 127 {
      return .missing(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
    let f = text.split(whereSeparator: \.isWhitespace)
    guard process.terminationStatus == 0, f.count == 6, let s = Double(f[0]), let peak = Int(f[1]),
      let before = Int(f[2]), let points = Int(f[3]), let threads = Int(f[5])
    else {
      let why = String(decoding: errors, as: UTF8.self).split(separator: "\n").last ?? ""
      return .failed("status \(process.terminationStatus): \(why)")
    }
    return .ran(
      Run(
        seconds: s, peak: peak, before: before, points: points, version: String(f[4]),
        threads: threads))
  }

  /// Times Polars and ours on `path` (best of `rounds` each, alternating) and prints both.
  static func run(_ path: String, rounds: Int = 3) -> Int32 {
    print("vs Polars read_ndjson (\(PeerPython.executable)), best of \(rounds), alternating:")
    var best: Run?
    var oursBest = Double.infinity
    var oursPeak = 0
    var oursAdded = 0
    var oursPoints = 0
    for _ in 0..<rounds {
      switch polars(path) {
      case .missing(let why):
        print(
          "  polars is not installed for \(PeerPython.executable) (\(why)); "
            + PeerPython.installHint("polars"))
        return 1
      case .failed(let why):
        print("  polars failed: \(why)")
        return 1
      case .ran(let r):
        if best == nil || r.seconds < best!.seconds { best = r }
        if let b = best, r.peak > b.peak { best?.peak = r.peak }
      }
      ReadBench.resetPeakRSS()
      let before = ReadBench.residentBytes()
      var store = SeriesStore()
      oursBest = min(oursBest, ReadBench.timeRead(path, .auto, into: &store))
      let peak = ReadBench.peakResidentBytes()
      oursPeak = max(oursPeak, peak)
      oursAdded = max(oursAdded, peak - before)
      oursPoints = store.keys(.train).reduce(0) { $0 + (store.series($1)?.count ?? 0) }
    }
    guard let p = best else { return 1 }
    var load = [0.0]
    _ = getloadavg(&load, 1)
    let cores = ProcessInfo.processInfo.activeProcessorCount
    print(
      "  polars \(p.version) (\(p.threads) threads): \(ReadBench.secs(p.seconds)), "
        + "peak \(ReadBench.mb(p.peak)) (read added \(ReadBench.mb(p.peak - p.before))), "
        + "\(p.points) points")
    print(
      "  ours (default threads):  \(ReadBench.secs(oursBest)), peak \(ReadBench.mb(oursPeak)) "
        + "(read added \(ReadBench.mb(oursAdded))), \(oursPoints) points")
    print(
      "  polars / ours: time \(ReadBench.ratio(p.seconds / oursBest)) (target > 1x; "
        + "<= 0.4 s on 2 cores), peak memory "
        + "\(ReadBench.ratio(Double(p.peak) / Double(max(oursPeak, 1)))) (target >= 2x; "
        + "read added: \(ReadBench.ratio(Double(p.peak - p.before) / Double(max(oursAdded, 1)))))  "
        + "(load " + String(format: "%.1f", load[0]) + " on \(cores) cores)")
    if p.points != oursPoints {
      print("WARNING: polars read \(p.points) points, ours \(oursPoints)")
    }
    return 0
  }
}

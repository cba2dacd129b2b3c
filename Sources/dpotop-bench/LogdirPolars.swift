import Foundation
import Processes

/// Polars' side of `dpotop-bench logdir`: `scripts/bench/logdir_polars.py`
/// (a lazy `scan_ndjson` over every run's metrics.jsonl, collected) in the
/// peer Python. Its time is the read's as the script reports it (imports
/// excluded), its peak the whole process's (`ru_maxrss`, as for ours).
enum LogdirPolars {
  struct Ran {
    var timed: Timed
    var rows: Int
    var version: String
    var threads: Int
  }

  typealias Outcome = PeerOutcome<Ran>

  static func run(_ root: String) -> Outcome {
    let t = Timed.spawn(
      [PeerPython.executable, PeerScripts.path("logdir_polars.py"), root], keepOutput: true)
    let text = (t.output ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    if text.hasPrefix("missing") { return .missing(text) }
    let f = text.split(whereSeparator: \.isWhitespace)
    guard t.seconds.isFinite, f.count == 5, let s = Double(f[0]), let peak = Int(f[1]),
      let rows = Int(f[2]), let threads = Int(f[4])
    else { return .failed(text.split(separator: "\n").last.map(String.init) ?? "no output") }
    return .ran(
      Ran(
        timed: Timed(seconds: s, peak: max(peak, t.peak)), rows: rows, version: String(f[3]),
        threads: threads))
  }
}

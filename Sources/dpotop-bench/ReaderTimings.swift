import Foundation
import RunLog

/// One reader's figures over repeated reads of the same file, for the benches
/// that put one of dpotop's file readers beside a peer's Python reader
/// (`bench tfevents`, `bench wandb`): both must agree on points and sum.
struct ReaderTimings {
  var times: [Double] = []
  var cpu: [Double] = []
  var points = 0
  var sum = 0.0
  var peakRSSMB = 0.0

  /// Runs a peer's reader (`scripts/bench/SCRIPT`) `repeats` times; it prints
  /// "seconds points sum peakRSS_MB cpuSeconds". Nil, having said why, when
  /// it cannot run or prints something else.
  static func peer(
    _ python: String, _ script: String, _ path: String, peer: String, repeats: Int
  ) -> ReaderTimings? {
    var t = ReaderTimings()
    for _ in 0..<repeats {
      guard let out = TFEventsBench.runPython(python, script, [path], peer: peer) else {
        return nil
      }
      let f = out.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Double($0) }
      guard f.count == 5 else {
        FileHandle.standardError.write(
          Data("dpotop-bench: unexpected reader output: \(out)\n".utf8))
        return nil
      }
      t.times.append(f[0])
      t.points = Int(f[1])
      t.sum = f[2]
      t.peakRSSMB = max(t.peakRSSMB, f[3])
      t.cpu.append(f[4])
    }
    return t
  }

  /// Times `readOnce` (a fresh reader into a fresh store, returning the store
  /// and a note on bad records, if any) `repeats` times; this process's peak
  /// RSS afterwards. A read error ends the bench with its message.
  static func ours(
    repeats: Int, _ readOnce: () throws -> (store: SeriesStore, bad: String?)
  ) -> ReaderTimings {
    var t = ReaderTimings()
    for _ in 0..<repeats {
      let c0 = cpuSeconds()
      let t0 = monotonicSeconds()
      let read: (store: SeriesStore, bad: String?)
      do {
        read = try readOnce()
      } catch {
        fail(String(describing: error))
      }
      t.times.append(monotonicSeconds() - t0)
      t.cpu.append(cpuSeconds() - c0)
      t.points = 0
      t.sum = 0
      for split in Split.allCases {
        for key in read.store.keys(split) {
          guard let s = read.store.series(key, split) else { continue }
          t.points += s.count
          for v in s.values { t.sum += v }
        }
      }
      if let bad = read.bad { print("  warning: \(bad)") }
    }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    t.peakRSSMB = Double(usage.ru_maxrss) / 1024
    return t
  }

  /// User + system CPU seconds of this process so far.
  static func cpuSeconds() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
      + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6
  }

  /// Prints the side-by-side table of a peer's reads and ours of `path`
  /// (best and median wall time, best CPU time, points, peak memory) and the
  /// speed-ups; the exit status is 1 when the two did not read the same
  /// points with the same sum.
  static func compare(
    path: String, peerName: String, peer: ReaderTimings, oursName: String, ours: ReaderTimings
  ) -> Int32 {
    let same =
      peer.points == ours.points && abs(peer.sum - ours.sum) <= 1e-9 * max(1, abs(peer.sum))
    let (peerBest, ourBest) = (peer.times.min() ?? 0, ours.times.min() ?? 0)
    let (peerMed, ourMed) = (median(peer.times), median(ours.times))
    let (peerCPU, ourCPU) = (peer.cpu.min() ?? 0, ours.cpu.min() ?? 0)
    let width = max(peerName.count, oursName.count)
    func name(_ s: String) -> String { s.padding(toLength: width, withPad: " ", startingAt: 0) }
    print("")
    print(String(format: "file: %@ (%.1f MB, %d points)", path, fileMB(path), ours.points))
    print(name("reader") + "  best s   median s  best CPU s   points    peak RSS MB")
    print(
      name(peerName)
        + String(
          format: " %8.3f   %8.3f   %8.3f   %8d  %8.0f", peerBest, peerMed, peerCPU, peer.points,
          peer.peakRSSMB))
    print(
      name(oursName)
        + String(
          format: " %8.3f   %8.3f   %8.3f   %8d  %8.0f (whole process)", ourBest, ourMed, ourCPU,
          ours.points, ours.peakRSSMB))
    print(
      String(
        format: "speed-up: %.1fx (best), %.1fx (median), %.1fx (CPU time); same points and sum: %@",
        peerBest / max(ourBest, 1e-9), peerMed / max(ourMed, 1e-9), peerCPU / max(ourCPU, 1e-9),
        same ? "yes" : "NO"))
    print(
      "(CPU time: user + system of the read alone; on a busy machine it shows what wall time would be idle)"
    )
    return same ? 0 : 1
  }

  static func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? 0 : s[s.count / 2]
  }

  static func fileMB(_ path: String) -> Double {
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber) ?? nil
    return (size?.doubleValue ?? 0) / 1e6
  }
}

import Dashboard
import Foundation
import Live
import RunLog
import Sweeps

/// `dpotop-bench tail`: how long an appended metrics record takes to reach
/// the dashboard, through the real `RunWatcher` (append → `.metrics` delta),
/// side by side with coreutils `tail -F` (inotify) reading the same appends.
enum TailBench {
  static let bench = Bench(
    name: "tail",
    summary: "append → on-screen latency of the run watcher vs tail -F",
    help: """
      USAGE: dpotop-bench tail [--records N] [--gap-ms MS] [--poll-ms MS] [--no-inotify]
                               [--screen]

      Appends N records to a fresh run directory, one every MS milliseconds
      (jittered ±50 %), and measures for each the time from the end of its
      write(2) to the moment the run watcher delivered it as a .metrics
      message, and to the moment 'tail -F' printed it. Prints p50/p95/max
      for both and the ratio.

      OPTIONS:
        --records N   records to append, 10...100000 (default: 200)
        --gap-ms MS   mean gap between appends, 1...1000 (default: 20)
        --poll-ms MS  the watcher's poll interval, 10...1000 (default: 50, as the dashboard)
        --no-inotify  timer polls only (what filesystems without inotify get)
        --screen      also measure end to end: the real dashboard in a tmux pane
                      (120x40), each append timed until the pane shows its step
                      (needs tmux; resolution: one capture-pane, printed)
      """,
    run: run)

  static func run(_ args: [String]) -> Int32 {
    let options = Options(
      valued: ["records", "gap-ms", "poll-ms"], flags: ["no-inotify", "screen"])
    let records: Int
    let gapMs: Int
    let pollMs: Int
    let inotify: Bool
    let screen: Bool
    do {
      let p = try options.parse(args)
      inotify = !p.flag("no-inotify")
      screen = p.flag("screen")
      records = try p.int("records", default: 200, in: 10...100_000)
      gapMs = try p.int("gap-ms", default: 20, in: 1...1000)
      pollMs = try p.int("poll-ms", default: 50, in: 10...1000)
    } catch {
      fail(error.description, hint: "see 'dpotop-bench tail --help'")
    }
    let result: Result
    do {
      result = try measure(records: records, gapMs: gapMs, pollMs: pollMs, inotify: inotify)
    } catch {
      fail("bench tail: \(error)")
    }
    print(result.report(records: records, gapMs: gapMs, pollMs: pollMs, inotify: inotify))
    guard screen else { return 0 }
    do {
      let r = try TailScreen.measure(
        records: records, gapMs: gapMs, executable: DpotopBinary.path)
      let l = r.latencies.sorted()
      let c = r.captures.sorted()
      func ms(_ v: Double) -> String { String(format: "%.1f ms", v * 1000) }
      print(
        "  on screen (tmux) p50 ≤ \(ms(result.pct(l, 0.5)))  p95 ≤ \(ms(result.pct(l, 0.95)))"
          + "  max ≤ \(ms(l.last ?? 0))  (\(l.count) seen, \(r.missed) missed)\n"
          + "                   upper bounds: a step counts as shown when the capture-pane"
          + " that first shows it returns; one capture takes p50 \(ms(result.pct(c, 0.5)))")
      return r.missed == 0 && result.pct(l, 0.95) < 0.1 ? 0 : 1
    } catch {
      fail("bench tail --screen: \(error)")
    }
  }

  /// Latencies in seconds, by step.
  struct Result {
    var watcher: [Double]
    var tail: [Double]

    func report(records: Int, gapMs: Int, pollMs: Int, inotify: Bool) -> String {
      func ms(_ v: Double) -> String { String(format: "%.1f ms", v * 1000) }
      let w = watcher.sorted()
      let t = tail.sorted()
      var lines = [
        "tail latency: \(records) records, one every ~\(gapMs) ms, watcher poll \(pollMs) ms"
          + (inotify ? " + inotify" : ", no inotify"),
        "  dpotop watcher  p50 \(ms(pct(w, 0.5)))  p95 \(ms(pct(w, 0.95)))  max \(ms(w.last ?? 0))"
          + "  (\(w.count) delivered)",
      ]
      if t.isEmpty {
        lines.append("  tail -F         not available")
      } else {
        lines.append(
          "  tail -F         p50 \(ms(pct(t, 0.5)))  p95 \(ms(pct(t, 0.95)))  max \(ms(t.last ?? 0))"
            + "  (\(t.count) delivered)")
        lines.append(
          String(
            format: "  ratio dpotop/tail: p50 %.2fx  p95 %.2fx", pct(w, 0.5) / pct(t, 0.5),
            pct(w, 0.95) / pct(t, 0.95)))
      }
      lines.append("  target: p95 under 100 ms (issue 5)")
      return lines.joined(separator: "\n")
    }

    func pct(_ sorted: [Double], _ q: Double) -> Double {
      guard !sorted.isEmpty else { return 0 }
      return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * q + 0.5))]
    }
  }

  /// Timestamps by step, shared between the writer and the two readers.
  final class Clock: @unchecked Sendable {
    // @unchecked: every field is accessed under `lock`.
    private let lock = NSLock()
    private var written: [Int: Double] = [:]
    private var seen: [String: [Int: Double]] = [:]

    func wrote(_ step: Int, at t: Double) { lock.withLock { written[step] = t } }
    func saw(_ step: Int, by reader: String, at t: Double) {
      lock.withLock {
        if seen[reader, default: [:]][step] == nil { seen[reader, default: [:]][step] = t }
      }
    }
    func count(_ reader: String) -> Int { lock.withLock { seen[reader]?.count ?? 0 } }
    func latencies(_ reader: String) -> [Double] {
      lock.withLock {
        (seen[reader] ?? [:]).compactMap { step, t in written[step].map { max(0, t - $0) } }
      }
    }
  }

  /// A fresh running run in a temporary directory of its own (`base`, to
  /// watch and to remove), with a writer for its metrics.
  struct BenchRun {
    let base: URL
    let dir: RunDirectory
    let writer: MetricsWriter

    init(tag: String, plannedSteps: Int) throws {
      base = FileManager.default.temporaryDirectory.appendingPathComponent(
        "dpotop-bench-\(tag)-\(getpid())")
      try? FileManager.default.removeItem(at: base)
      dir = RunDirectory(path: base.appendingPathComponent("run").path)
      try dir.create()
      var manifest = RunManifest(id: "bench", name: "bench", createdAt: 0, status: .running)
      manifest.plannedSteps = plannedSteps
      manifest.objective = "dpo"
      try dir.writeManifest(manifest)
      writer = try MetricsWriter(path: dir.metricsPath)
    }

    func remove() { try? FileManager.default.removeItem(at: base) }
  }

  /// The record appended for `step`, stamped now.
  static func record(_ step: Int) -> MetricRecord {
    MetricRecord(
      step: step, time: Date().timeIntervalSince1970,
      values: [(MetricKey.loss, 0.7 - Double(step) * 1e-4)])
  }

  static func measure(records: Int, gapMs: Int, pollMs: Int, inotify: Bool) throws -> Result {
    let run = try BenchRun(tag: "tail", plannedSteps: records)
    defer { run.remove() }
    let (base, dir, writer) = (run.base, run.dir, run.writer)

    let clock = Clock()
    let watcher = RunWatcher(
      roots: [base.path], interval: Double(pollMs) / 1000, inotify: inotify
    ) { msgs in
      let t = monotonicSeconds()
      for case .metrics(_, let delta, _, _, _) in msgs {
        for step in delta.series(MetricKey.loss)?.steps ?? [] {
          clock.saw(step, by: "watcher", at: t)
        }
      }
    }
    let tail = TailProcess(path: dir.metricsPath, clock: clock)
    watcher.start()
    tail?.start()
    defer {
      watcher.stop()
      tail?.stop()
    }
    // Let both readers open the file before the first append.
    Thread.sleep(forTimeInterval: 0.3)
    var rng = SystemRandomNumberGenerator()
    for step in 1...records {
      try writer.append(record(step))
      clock.wrote(step, at: monotonicSeconds())
      let jitter = Double.random(in: 0.5...1.5, using: &rng)
      Thread.sleep(forTimeInterval: Double(gapMs) / 1000 * jitter)
    }
    let deadline = monotonicSeconds() + 2
    while monotonicSeconds() < deadline
      && (clock.count("watcher") < records || (tail != nil && clock.count("tail") < records))
    {
      Thread.sleep(forTimeInterval: 0.01)
    }
    return Result(watcher: clock.latencies("watcher"), tail: clock.latencies("tail"))
  }
}

/// `tail -n +1 -F FILE` in a child process, timing each line it prints.
final class TailProcess: @unchecked Sendable {
  // @unchecked: `process` and `pipe` are set in init and only read after.
  private let process = Process()
  private let pipe = Pipe()
  private let clock: TailBench.Clock

  init?(path: String, clock: TailBench.Clock) {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tail") else { return nil }
    self.clock = clock
    process.executableURL = URL(fileURLWithPath: "/usr/bin/tail")
    process.arguments = ["-n", "+1", "-F", path]
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
  }

  func start() {
    guard (try? process.run()) != nil else { return }
    let handle = pipe.fileHandleForReading
    let clock = self.clock
    let t = Thread {
      var carry = Data()
      while true {
        let chunk = handle.availableData
        if chunk.isEmpty { return }
        let now = monotonicSeconds()
        carry.append(chunk)
        while let nl = carry.firstIndex(of: 0x0A) {
          let line = String(decoding: carry[carry.startIndex..<nl], as: UTF8.self)
          carry.removeSubrange(carry.startIndex...nl)
          if let step = Self.step(in: line) { clock.saw(step, by: "tail", at: now) }
        }
      }
    }
    t.start()
  }

  func stop() {
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
  }

  /// The `"step":N` value of a metrics line.
  static func step(in line: String) -> Int? {
    guard let r = line.range(of: "\"step\":") else { return nil }
    let digits = line[r.upperBound...].prefix { $0.isNumber }
    return Int(digits)
  }
}

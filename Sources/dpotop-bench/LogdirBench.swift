import Foundation
import Processes
import RunLog

/// `dpotop-bench logdir`: a results folder of many runs at once (issue 28:
/// 1000 runs × 2000 steps in 24 sweeps), side by side: the dashboard's first
/// screen and its memory, `dpotop render` and `dpotop summary` (time and peak
/// memory of each process), and Polars' `scan_ndjson` over the same files.
///
/// Every figure is of a separate process, measured with `wait4` (wall time
/// and `ru_maxrss`), best of `--rounds`: `dpotop` beside this executable, the
/// dashboard as `LogdirDashboard` in a child of this bench (the real watcher,
/// update and render, without a terminal), Polars in the peer Python.
enum LogdirBench {
  static let bench = Bench(
    name: "logdir",
    summary: "a 1000-run folder: first screen, render, summary vs Polars, memory",
    help: """
      USAGE: dpotop-bench logdir [--runs N] [--steps N] [--sweeps N] [--dir PATH] [--keep]
                                 [--rounds N] [--no-polars]

      Writes a results folder (deterministic: the same sizes give the same bytes)
      of N runs spread over S sweep directories, each a run.json and a
      metrics.jsonl of STEPS records of 12 metrics (about 385 bytes a record),
      then measures, best of --rounds each:
        first screen  the dashboard (run watcher, update, render; no terminal)
                      until every run is listed and the charted runs are read
                      whole; then until every record of every run is in, and its
                      peak memory (target: first screen <= 1 s, memory <= 500 MB)
        render        dpotop render DIR: wall time and peak memory
        summary       dpotop summary DIR: wall time and peak memory
        polars        pl.scan_ndjson over DIR/*/*/metrics.jsonl, collected
                      (scripts/bench/logdir_polars.py in the peer Python): the
                      read's time, the process's peak memory
      Targets: render and summary <= Polars' time, with less memory. Every run
      and every record is checked (a count that differs is printed and the
      status is 1).

      OPTIONS:
        --runs N      runs (default: 1000)
        --steps N     records per run (default: 2000)
        --sweeps N    sweep directories the runs are spread over (default: 24)
        --dir PATH    the folder: used as it is when it already holds runs,
                      else written there (default: a temporary directory,
                      deleted afterwards)
        --keep        keep the generated folder (its path is printed)
        --rounds N    rounds of each measurement (default: 3)
        --no-polars   skip Polars (needs polars: scripts/peer-venv.sh polars)

      Build with -c release: swift build -c release (dpotop and dpotop-bench).
      """,
    run: run)

  static func run(_ args: [String]) -> Int32 {
    if args.first == LogdirDashboard.childFlag {
      return LogdirDashboard.child(Array(args.dropFirst()))
    }
    let parsed: Options.Parsed
    let runs: Int
    let steps: Int
    let sweeps: Int
    let rounds: Int
    do {
      parsed = try Options(
        valued: ["runs", "steps", "sweeps", "dir", "rounds"], flags: ["keep", "no-polars"]
      ).parse(args)
      runs = try parsed.int("runs", default: 1000, in: 1...1_000_000)
      steps = try parsed.int("steps", default: 2000, in: 1...100_000_000)
      sweeps = try parsed.int("sweeps", default: 24, in: 1...100_000)
      rounds = try parsed.int("rounds", default: 3, in: 1...100)
    } catch {
      fail(error.description, hint: "see 'dpotop-bench logdir --help'")
    }
    let root =
      parsed.string("dir")
      ?? FileManager.default.temporaryDirectory.path + "/dpotop-bench-logdir-\(getpid())"
    let reuse = !RunDiscovery.sources(under: root).isEmpty
    if reuse {
      print("using the runs already in \(root) (sizes as found)")
    } else {
      let t = monotonicSeconds()
      do {
        try LogdirFolder.generate(root: root, runs: runs, steps: steps, sweeps: sweeps)
      } catch {
        fail("cannot write \(root): \(error)")
      }
      print(
        "generated \(root): \(runs) runs x \(steps) steps in \(min(sweeps, runs)) sweeps, "
          + ReadBench.secs(monotonicSeconds() - t))
    }
    defer {
      if !reuse && !parsed.flag("keep") {
        try? FileManager.default.removeItem(atPath: root)
      } else if !reuse {
        print("kept \(root)")
      }
    }
    let found = RunDiscovery.sources(under: root).count
    let bytes = LogdirFolder.metricsBytes(root)
    let records = reuse ? nil : runs * steps
    print("folder: \(found) runs, \(bytes / 1_000_000) MB of metrics.jsonl")
    var status: Int32 = found == (reuse ? found : runs) ? 0 : 1

    let dpotop = DpotopBinary.path
    var first = Timed.worst
    var all = Timed.worst
    var dashboardPeak = 0
    var render = Timed.worst
    var summary = Timed.worst
    var polars = Timed.worst
    var polarsNote = ""
    let self_ = BundledPaths.executablePath() ?? CommandLine.arguments[0]
    for round in 0..<rounds {
      // Alternating, so a change in the machine's load falls on every tool alike.
      switch LogdirDashboard.measure(self_, root: root, runs: found, records: records) {
      case .success(let d):
        first = first.best(d.first)
        all = all.best(d.all)
        dashboardPeak = max(dashboardPeak, d.all.peak)
        if let problem = d.problem {
          print("  dashboard: \(problem)")
          status = 1
        }
      case .failure(let e):
        print("  dashboard failed: \(e)")
        status = 1
      }
      render = render.best(Timed.spawn([dpotop, "render", root, "--size", "120x40"]))
      let s = Timed.spawn([dpotop, "summary", root], keepOutput: round == 0)
      summary = summary.best(s)
      if round == 0, let text = s.output {
        let counted = summaryRecords(text)
        if counted.runs != found || (records != nil && counted.records != records) {
          print(
            "  summary: \(counted.runs) runs, \(counted.records) records; expected \(found) runs"
              + (records.map { ", \($0) records" } ?? ""))
          status = 1
        }
      }
      if !parsed.flag("no-polars") {
        switch LogdirPolars.run(root) {
        case .ran(let p):
          polars = polars.best(p.timed)
          if let records, p.rows != records {
            polarsNote = " (read \(p.rows) rows, expected \(records))"
          } else {
            polarsNote = " (polars \(p.version), \(p.threads) threads)"
          }
        case .missing(let why):
          polarsNote = " not run: \(why); " + PeerPython.installHint("polars")
        case .failed(let why):
          polarsNote = " failed: \(why)"
        }
      }
    }
    var load = [0.0, 0.0, 0.0]
    _ = getloadavg(&load, 3)
    let cores = ProcessInfo.processInfo.activeProcessorCount
    print("best of \(rounds), each a process of its own (wall time, peak resident memory):")
    print("  dashboard first screen   \(first.text(memory: false))  (target <= 1 s)")
    print(
      "  dashboard all loaded     \(all.text(memory: false)), peak \(ReadBench.mb(dashboardPeak))"
        + "  (target <= 500 MB)")
    print("  dpotop render            \(render.text())")
    print("  dpotop summary           \(summary.text())")
    if parsed.flag("no-polars") {
      print("  polars                   skipped")
    } else if polars.seconds.isFinite {
      print("  polars scan_ndjson       \(polars.text())\(polarsNote)")
      print(
        "  polars / ours: render time " + ReadBench.ratio(polars.seconds / render.seconds)
          + ", memory " + ReadBench.ratio(Double(polars.peak) / Double(max(render.peak, 1)))
          + "; summary time " + ReadBench.ratio(polars.seconds / summary.seconds) + ", memory "
          + ReadBench.ratio(Double(polars.peak) / Double(max(summary.peak, 1)))
          + "  (target >= 1x each)")
    } else {
      print("  polars                  \(polarsNote)")
    }
    print(
      "load average " + String(format: "%.1f %.1f %.1f", load[0], load[1], load[2])
        + " on \(cores) cores (a busy machine slows every figure)")
    return status
  }

  /// Runs and records counted in `dpotop summary`'s text ("run: …" blocks,
  /// "records N" on each block's counts line).
  static func summaryRecords(_ text: String) -> (runs: Int, records: Int) {
    var runs = 0
    var records = 0
    for line in text.split(separator: "\n") {
      if line.hasPrefix("run: ") { runs += 1 }
      if line.hasPrefix("  lines "), let r = line.range(of: "records ") {
        records += Int(line[r.upperBound...].prefix { $0.isNumber }) ?? 0
      }
    }
    return (runs, records)
  }
}

/// One measured process: wall seconds and peak resident bytes (`ru_maxrss`).
struct Timed {
  var seconds: Double
  var peak: Int
  /// Its standard output, when kept.
  var output: String?

  static let worst = Timed(seconds: .infinity, peak: 0)

  /// The faster of the two; the peak is the larger (memory is not a race).
  func best(_ other: Timed) -> Timed {
    var out = other.seconds < seconds ? other : self
    out.peak = max(peak, other.peak)
    out.output = nil
    return out
  }

  func text(memory: Bool = true) -> String {
    let s = seconds.isFinite ? ReadBench.secs(seconds) : "failed"
    return memory ? s + ", peak " + ReadBench.mb(peak) : s
  }

  /// Runs `argv` to its end (output to a file, kept on request) and measures it.
  static func spawn(_ argv: [String], keepOutput: Bool = false) -> Timed {
    let out = NSTemporaryDirectory() + "dpotop-bench-logdir-out-\(getpid())"
    unlink(out)
    defer { unlink(out) }
    let t = monotonicSeconds()
    guard let pid = try? ProcessLauncher.spawn(argv, logPath: out, mode: .child) else {
      return .worst
    }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    let seconds = monotonicSeconds() - t
    guard status == 0 else {
      let why = (readTextFile(out) ?? "").split(separator: "\n").last ?? ""
      print("  \(argv.dropFirst().prefix(2).joined(separator: " ")) failed: \(why)")
      return .worst
    }
    return Timed(
      seconds: seconds, peak: Int(usage.ru_maxrss) * 1024,
      output: keepOutput ? readTextFile(out) : nil)
  }
}

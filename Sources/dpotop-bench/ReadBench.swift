import Foundation
import Processes
import RunLog

/// `dpotop-bench read`: reading a big metrics.jsonl into a SeriesStore,
/// against a Python `json.loads` loop building the same per-metric lists,
/// plus decimation time and memory.
enum ReadBench {
  static let bench = Bench(
    name: "read",
    summary: "read a 1M-record metrics.jsonl vs Python json.loads; decimation; memory",
    help: """
      USAGE: dpotop-bench read [--records N] [--file PATH] [--keep] [--no-python] [--no-paths]
                               [--vs-polars]

      Writes a metrics.jsonl of N records (12 metrics per line, full-precision
      random doubles; about 500 MB for 1M records) unless --file names an
      existing file, then times in this one run:
        python   python3: a json.loads line loop building per-metric step and
                 value lists (the time Python reports, start-up excluded)
        ours     TailReader.poll into a SeriesStore, best of 4 (default: two
                 threads when the load average leaves a core idle), then
                 forced to 2 threads and to 1 thread (best of 3 each)
      and prints the ratios python / ours. Then reads the file through every
      path (the file, a run directory, a bare directory, a TRL output directory
      as 'log_history.jsonl'), as 'dpotop summary' does, and prints each
      against the fastest (target <= 1.2x). Then decimates the 'loss' series to
      200 buckets (best of 20) and reports the peak memory the read added
      against the raw numeric size of the series (8-byte step + 8-byte value
      per point; also against values alone).

      OPTIONS:
        --records N   records to generate (default 1000000)
        --file PATH   read PATH; generate it there first if it does not exist
                      (default: a temporary file, deleted afterwards)
        --keep        keep the generated file (its path is printed)
        --no-python   skip the Python measurement
        --no-paths    skip the read through every path
        --vs-polars   also time Polars' read_ndjson (Rust, every core) on the same
                      file, alternating with ours (best of 3 each): times, peak
                      memory of each process, ratios. Needs polars for the peer
                      Python (scripts/peer-venv.sh polars); says so and exits 1
                      without it

      Build with -c release: swift run -c release dpotop-bench read
      """,
    run: run)

  static let keys = [
    "loss", "rewards/chosen", "rewards/rejected", "rewards/margins", "rewards/accuracies",
    "logps/chosen", "logps/rejected", "logps/ref_chosen", "logps/ref_rejected", "dpop/penalty",
    "grad_norm", "lr",
  ]

  static func run(_ args: [String]) -> Int32 {
    let parsed: Options.Parsed
    let records: Int
    do {
      parsed = try Options(
        valued: ["records", "file"], flags: ["keep", "no-python", "no-paths", "vs-polars"]
      )
      .parse(args)
      records = try parsed.int("records", default: 1_000_000, in: 1...100_000_000)
    } catch {
      fail(error.description, hint: "see 'dpotop-bench read --help'")
    }
    let path =
      parsed.string("file")
      ?? FileManager.default.temporaryDirectory.path + "/dpotop-bench-\(getpid())/metrics.jsonl"
    let generated = !FileManager.default.fileExists(atPath: path)
    if generated {
      let t = monotonicSeconds()
      do {
        try generate(path, records: records)
      } catch {
        fail("cannot write \(path): \(error)")
      }
      print("generated \(path): \(records) records in \(secs(monotonicSeconds() - t))")
    }
    defer {
      if generated && !parsed.flag("keep") {
        try? FileManager.default.removeItem(atPath: path)
        if parsed.string("file") == nil {
          try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
        }
      }
    }
    var status: Int32 = 0
    let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    print("file: \(bytes / 1_000_000) MB")
    // First, while this process holds nothing else, so its peak is the read's.
    if parsed.flag("vs-polars"), ReadPolarsBench.run(path) != 0 { status = 1 }

    var python: (seconds: Double, points: Int)?
    if !parsed.flag("no-python") {
      python = runPython(path)
      if let python {
        print("python json.loads loop:   \(secs(python.seconds))  (\(python.points) points)")
      } else {
        print("python json.loads loop:   failed (is python3 installed?)")
      }
    }

    // Memory: the peak the first read adds over the resident size before it.
    resetPeakRSS()
    let before = residentBytes()
    var store = SeriesStore()
    let first = timeRead(path, .auto, into: &store)
    let peak = peakResidentBytes() - before
    let points = store.keys(.train).reduce(0) { $0 + (store.series($1)?.count ?? 0) }
    var auto = first
    var two = Double.infinity
    var one = Double.infinity
    for _ in 0..<3 {
      var s = SeriesStore()
      two = min(two, timeRead(path, .always, into: &s))
      s = SeriesStore()
      one = min(one, timeRead(path, .never, into: &s))
      s = SeriesStore()
      auto = min(auto, timeRead(path, .auto, into: &s))
    }
    var load = [0.0]
    _ = getloadavg(&load, 1)
    print("ours (default: 2 threads if a core is idle): \(secs(auto))  (\(points) points)")
    print("ours (2 threads):         \(secs(two))")
    print("ours (1 thread):          \(secs(one))")
    print(
      "load average while measuring: " + String(format: "%.1f", load[0]) + " on "
        + "\(ProcessInfo.processInfo.activeProcessorCount) cores")
    if let python {
      print(
        "ratio python / ours:      \(ratio(python.seconds / auto)) (default), "
          + "\(ratio(python.seconds / two)) (2 threads), \(ratio(python.seconds / one)) (1 thread)"
          + "  target >= 10x")
      if python.points != points {
        print("WARNING: python read \(python.points) points, ours \(points)")
      }
    }

    if !parsed.flag("no-paths") { ReadPathsBench.run(path) }

    guard let loss = store.series("loss") else {
      fail("no 'loss' series in \(path)")
    }
    var decimate = Double.infinity
    var buckets: [SeriesBucket] = []
    for _ in 0..<20 {
      let t = monotonicSeconds()
      buckets = loss.decimated(buckets: 200)
      decimate = min(decimate, monotonicSeconds() - t)
    }
    print(
      "decimate \(loss.count) points to \(buckets.count) buckets: "
        + String(format: "%.3f ms", decimate * 1000) + "  target < 5 ms")

    let raw = points * 16
    print(
      "memory: peak added by the read \(mb(peak)), held by the store \(mb(store.allocatedBytes)), "
        + "raw (step+value) \(mb(raw)): \(ratio(Double(peak) / Double(raw))) peak, "
        + "\(ratio(Double(store.allocatedBytes) / Double(raw))) held; "
        + "vs values alone \(ratio(Double(peak) / Double(points * 8))) peak  target < 3x")
    return status
  }

  /// Writes `records` lines of 12 full-precision metrics.
  static func generate(_ path: String, records: Int) throws {
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    guard let out = FileHandle(forWritingAtPath: path) ?? create(path) else {
      throw RunLogError(.writeFailed(path: path, reason: "cannot create"))
    }
    defer { try? out.close() }
    var rng = SystemRandomNumberGenerator()
    var chunk = ""
    chunk.reserveCapacity(1 << 22)
    let t0 = 1_700_000_000.0
    for step in 1...records {
      chunk += "{\"step\":\(step),\"time\":\(t0 + Double(step) * 0.731),\"split\":\"train\""
      for key in keys {
        chunk += ",\"\(key)\":\(Double.random(in: -3...3, using: &rng))"
      }
      chunk += "}\n"
      if chunk.utf8.count >= 1 << 22 {
        out.write(Data(chunk.utf8))
        chunk.removeAll(keepingCapacity: true)
      }
    }
    out.write(Data(chunk.utf8))
  }

  private static func create(_ path: String) -> FileHandle? {
    FileManager.default.createFile(atPath: path, contents: nil)
    return FileHandle(forWritingAtPath: path)
  }

  static func timeRead(
    _ path: String, _ parallelism: TailReader.Parallelism, into store: inout SeriesStore
  ) -> Double {
    let reader = TailReader(path: path)
    reader.parallelism = parallelism
    let t = monotonicSeconds()
    do {
      try reader.poll(into: &store)
    } catch {
      fail(error.description)
    }
    return monotonicSeconds() - t
  }

  static func runPython(_ path: String) -> (Double, Int)? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [PeerPython.executable, PeerScripts.path("read_json_loop.py"), path]
    let out = Pipe()
    process.standardOutput = out
    do { try process.run() } catch { return nil }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let fields = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace)
    guard process.terminationStatus == 0, fields.count == 2, let s = Double(fields[0]),
      let n = Int(fields[1])
    else { return nil }
    return (s, n)
  }

  static func secs(_ s: Double) -> String { String(format: "%.3f s", s) }
  static func ratio(_ r: Double) -> String { String(format: "%.2fx", r) }
  static func mb(_ b: Int) -> String { String(format: "%.0f MB", Double(b) / 1e6) }

  /// Resets the kernel's peak-RSS mark (VmHWM) of this process.
  static func resetPeakRSS() {
    try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
  }

  static func residentBytes() -> Int { procStatus("VmRSS:") }
  static func peakResidentBytes() -> Int { procStatus("VmHWM:") }

  private static func procStatus(_ field: String) -> Int {
    guard let text = readTextFile("/proc/self/status") else {
      return 0
    }
    for line in text.split(separator: "\n") where line.hasPrefix(field) {
      let kb = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
      return kb * 1024
    }
    return 0
  }
}

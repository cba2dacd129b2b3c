import Foundation
import Processes
import RunLog

/// `dpotop-bench wandb`: reading the history of a W&B `.wandb` log, dpotop's
/// reader against a Python reader built on the wandb package's own
/// `wandb_internal_pb2`, same file, same run.
///
/// The file is written by dpotop's `WandbLogEncoder` (the wandb package needs
/// minutes for a million `log` calls; the encoder's layout is the one the
/// package writes, which the importer's tests read from real files, and the
/// Python side parses every record of this file with the package's classes).
enum WandbBench {
  static let bench = Bench(
    name: "wandb",
    summary: "read 1M W&B history rows: dpotop vs the wandb package's protobuf classes",
    help: """
      USAGE: dpotop-bench wandb [OPTIONS]

      Writes a .wandb file of ROWS history rows shaped like HF Trainer's
      WandbCallback rows for TRL (KEYS train/ metrics, train/global_step,
      _step, _timestamp, _runtime), then times, on that file:
        - a Python reader: the LevelDB-log framing by hand (zlib CRC-32 checked),
          each record parsed with the wandb package's wandb_internal_pb2.Record,
          each history value with json.loads (timed inside python, imports
          excluded), and
        - dpotop's WandbFileReader reading it into a SeriesStore.
      Both must find the same number of points and the same sum of values.

      OPTIONS:
        --rows N        history rows to write (default 1000000)
        --keys N        metrics per row, TRL's names first (default 4, at most 10)
        --summary       also write a summary record after each row, as wandb does
        --repeat N      times dpotop reads the file; best and median shown (default 3)
        --py-repeat N   times the Python reader reads it (default 2)
        --python PATH   python with wandb installed (default: $DPOTOP_PYTHON, else
                        scripts/peer-venv.sh's venv, else python3)
        --file PATH     read this existing .wandb file instead of writing one (kept)
        --keep          keep the written file (its path is printed)
      """,
    run: run)

  static let names = [
    "train/loss", "train/rewards/chosen", "train/rewards/rejected", "train/logps/chosen",
    "train/logps/rejected", "train/rewards/margins", "train/rewards/accuracies",
    "train/grad_norm", "train/learning_rate", "train/epoch",
  ]

  static func run(_ args: [String]) -> Int32 {
    let parsed: Options.Parsed
    let rows: Int
    let keys: Int
    let repeats: Int
    let pyRepeats: Int
    do {
      parsed = try Options(
        valued: ["rows", "keys", "repeat", "py-repeat", "python", "file"],
        flags: ["keep", "summary"]
      ).parse(args)
      rows = try parsed.int("rows", default: 1_000_000, in: 1...20_000_000)
      keys = try parsed.int("keys", default: 4, in: 1...names.count)
      repeats = try parsed.int("repeat", default: 3, in: 1...100)
      pyRepeats = try parsed.int("py-repeat", default: 2, in: 1...100)
    } catch {
      fail(error.description, hint: "see 'dpotop-bench wandb --help'")
    }
    let python = parsed.string("python") ?? PeerPython.executable
    let path: String
    var written: String?
    if let given = parsed.string("file") {
      path = given
    } else {
      path = NSTemporaryDirectory() + "dpotop-bench-wandb-\(getpid()).wandb"
      written = path
      print("writing \(rows) rows x \(keys) metrics with dpotop's WandbLogEncoder ...")
      let t0 = monotonicSeconds()
      guard write(path, rows: rows, keys: keys, summary: parsed.flag("summary")) else {
        fail("cannot write \(path)")
      }
      print(
        String(
          format: "  wrote %@ (%.1f MB) in %.1f s", path, ReaderTimings.fileMB(path),
          monotonicSeconds() - t0))
    }
    defer {
      if let written, !parsed.flag("keep") { try? FileManager.default.removeItem(atPath: written) }
    }

    print("Python reader (framing by hand + wandb_internal_pb2 + json), \(pyRepeats) run(s) ...")
    guard
      let py = ReaderTimings.peer(
        python, "wandb_read.py", path, peer: "wandb", repeats: pyRepeats)
    else { return 1 }
    print("dpotop WandbFileReader, \(repeats) run(s) ...")
    let ours = ReaderTimings.ours(repeats: repeats) {
      let reader = WandbFileReader(path: path)
      var store = SeriesStore()
      try reader.poll(into: &store)
      let bad = reader.parser.badCount
      return (store, bad > 0 ? "\(bad) bad records: \(reader.parser.recentBad)" : nil)
    }
    return ReaderTimings.compare(
      path: path, peerName: "Python + wandb_internal_pb2", peer: py,
      oursName: "dpotop WandbFileReader", ours: ours)
  }

  /// Writes the bench file: run info with TRL's config, then ROWS history
  /// rows (and summary records when asked), in 64 MiB pieces.
  private static func write(_ path: String, rows: Int, keys: Int, summary: Bool) -> Bool {
    guard FileManager.default.createFile(atPath: path, contents: nil),
      let fh = FileHandle(forWritingAtPath: path)
    else { return false }
    defer { try? fh.close() }
    var e = WandbLogEncoder()
    e.appendRun(
      id: "benchrun", name: "bench",
      config: [("beta", "0.1"), ("loss_type", "\"sigmoid\""), ("learning_rate", "5e-07")])
    // Values repeat with period 977 (as in bench tfevents): format each once.
    let period = 977
    var texts: [[String]] = []
    for r in 0..<period {
      texts.append((0..<keys).map { i in "\(Double(r) * 0.001 - Double(i))" })
    }
    let t0 = 1_764_000_000.0
    for row in 0..<rows {
      var items: [(String, String)] = []
      items.reserveCapacity(keys + 4)
      let values = texts[row % period]
      for i in 0..<keys { items.append((names[i], values[i])) }
      items.append(("train/global_step", "\(row + 1)"))
      items.append(("_timestamp", "\(t0 + Double(row) * 0.01)"))
      items.append(("_runtime", "\(Double(row) * 0.01)"))
      items.append(("_step", "\(row)"))
      e.appendHistory(step: row, items: items)
      if summary { e.appendSummary(items) }
      if e.bytes.count >= 64 << 20 { fh.write(Data(e.takeWholeBlocks())) }
    }
    fh.write(Data(e.bytes))
    return true
  }

}

import Foundation
import Processes
import RunLog

/// `dpotop-bench tfevents`: reading a TensorBoard event file of scalars,
/// dpotop's reader against TensorBoard's own `EventAccumulator`, same file,
/// same run.
///
/// The file is written by the real `tensorboard` package (its
/// `EventFileWriter`, one event per scalar as `add_scalar` writes them) in a
/// python3 subprocess, so neither reader is measured on bytes only it made.
enum TFEventsBench {
  static let bench = Bench(
    name: "tfevents",
    summary: "read 1M TensorBoard scalars: dpotop vs TensorBoard's EventAccumulator",
    help: """
      USAGE: dpotop-bench tfevents [OPTIONS]

      Writes an event file of STEPS x TAGS scalars with the tensorboard Python
      package's EventFileWriter (python3 subprocess; 'pip install tensorboard'),
      then times, on that file:
        - TensorBoard's EventAccumulator(size_guidance={'scalars': 0}).Reload()
          (keeps every scalar; timed inside python, imports excluded), and
        - dpotop's TFEventsFileReader reading it into a SeriesStore.
      Both must find the same number of points and the same sum of values.

      OPTIONS:
        --steps N      steps to write (default 100000)
        --tags N       scalar tags per step (default 10)
        --repeat N     times each reader reads the file; best and median shown (default 3)
        --python PATH  python interpreter with tensorboard installed (default: $DPOTOP_PYTHON, else scripts/peer-venv.sh's venv, else python3)
        --file PATH    read this existing event file instead of writing one (kept)
        --keep         keep the written file (its path is printed)
      """,
    run: run)

  static func run(_ args: [String]) -> Int32 {
    let parsed: Options.Parsed
    let steps: Int
    let tags: Int
    let repeats: Int
    do {
      parsed = try Options(valued: ["steps", "tags", "repeat", "python", "file"], flags: ["keep"])
        .parse(args)
      steps = try parsed.int("steps", default: 100_000, in: 1...10_000_000)
      tags = try parsed.int("tags", default: 10, in: 1...1000)
      repeats = try parsed.int("repeat", default: 3, in: 1...100)
    } catch {
      fail(error.description, hint: "see 'dpotop-bench tfevents --help'")
    }
    let python = parsed.string("python") ?? PeerPython.executable
    var path: String
    var dir: String?
    if let given = parsed.string("file") {
      path = given
    } else {
      let d = NSTemporaryDirectory() + "dpotop-bench-tfevents-\(getpid())"
      dir = d
      print("writing \(steps) steps x \(tags) tags with tensorboard's EventFileWriter ...")
      let t0 = monotonicSeconds()
      guard let out = runPython(python, "tfevents_write.py", [d, String(steps), String(tags)])
      else {
        return 1
      }
      path = out.trimmingCharacters(in: .whitespacesAndNewlines)
      print(
        String(
          format: "  wrote %@ (%.1f MB) in %.1f s", path, ReaderTimings.fileMB(path),
          monotonicSeconds() - t0))
    }
    defer {
      if let dir, !parsed.flag("keep") { try? FileManager.default.removeItem(atPath: dir) }
    }

    print("TensorBoard EventAccumulator (size_guidance scalars=0), \(repeats) run(s) ...")
    guard
      let tb = ReaderTimings.peer(
        python, "tfevents_read.py", path, peer: "tensorboard", repeats: repeats)
    else { return 1 }
    print("dpotop TFEventsFileReader, \(repeats) run(s) ...")
    let ours = ReaderTimings.ours(repeats: repeats) {
      let reader = TFEventsFileReader(path: path)
      var store = SeriesStore()
      try reader.poll(into: &store)
      let bad = reader.parser.badCount
      return (store, bad > 0 ? "\(bad) bad records: \(reader.parser.recentBad)" : nil)
    }
    return ReaderTimings.compare(
      path: path, peerName: "TensorBoard EventAccumulator", peer: tb,
      oursName: "dpotop TFEventsFileReader", ours: ours)
  }

  /// Runs `python scripts/bench/SCRIPT args...` and returns its stdout, or prints why not.
  /// (Shared with `bench wandb`; `peer` names the package the hint installs.)
  static func runPython(
    _ python: String, _ script: String, _ args: [String], peer: String = "tensorboard"
  ) -> String? {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [python, PeerScripts.path(script)] + args
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    do {
      try p.run()
    } catch {
      FileHandle.standardError.write(Data("dpotop-bench: cannot run \(python): \(error)\n".utf8))
      return nil
    }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else {
      FileHandle.standardError.write(errData)
      FileHandle.standardError.write(
        Data(
          ("dpotop-bench: \(python) failed (exit \(p.terminationStatus)); is \(peer) installed? "
            + PeerPython.installHint(peer) + "\n").utf8))
      return nil
    }
    return String(decoding: data, as: UTF8.self)
  }

}

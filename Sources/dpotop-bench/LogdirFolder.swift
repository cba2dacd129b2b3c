import Foundation
import RunLog

/// The results folder `dpotop-bench logdir` measures: `sweeps` sweep
/// directories holding `runs` run directories between them, each with a
/// `run.json` and a `metrics.jsonl` of `steps` records (the 12 metrics of
/// `ReadBench.keys`, a time and the split, about 385 bytes a line).
///
/// Deterministic: the same sizes give the same bytes (`SplitMix64` seeded
/// by the run's number), so figures measured on two machines are of the
/// same files. Runs are written on every core (each file by one thread).
enum LogdirFolder {
  /// The path of run `r` (of `runs`, spread over `sweeps`) under `root`.
  static func runPath(_ root: String, run r: Int, runs: Int, sweeps: Int) -> String {
    let perSweep = (runs + sweeps - 1) / sweeps
    return root + String(format: "/sweep-%03d/run-%05d", r / perSweep, r)
  }

  /// Writes the folder under `root` (created; existing runs are overwritten).
  static func generate(root: String, runs: Int, steps: Int, sweeps: Int) throws {
    let failure = FailureBox()
    DispatchQueue.concurrentPerform(iterations: runs) { r in
      do {
        try writeRun(root: root, run: r, runs: runs, steps: steps, sweeps: sweeps)
      } catch {
        failure.set("\(error)")
      }
    }
    if let message = failure.message { throw BenchError(message) }
  }

  /// One run: its manifest (a finished DPO or DPOP run of a β sweep) and metrics.
  private static func writeRun(root: String, run r: Int, runs: Int, steps: Int, sweeps: Int)
    throws
  {
    let path = runPath(root, run: r, runs: runs, sweeps: sweeps)
    let dir = RunDirectory(path: path)
    try dir.create()
    let objective = r % 2 == 0 ? "dpo" : "dpop"
    let beta = [0.1, 0.3, 1.0][(r / 2) % 3]
    let seed = r / 6 + 1
    var m = RunManifest(
      id: (path as NSString).lastPathComponent, name: "\(objective)-b\(beta)-s\(seed)",
      createdAt: 1_700_000_000, status: .finished)
    m.objective = objective
    m.beta = beta
    m.lambda = objective == "dpop" ? 50 : nil
    m.seed = seed
    m.plannedSteps = steps
    let sweep = ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
    m.sweepId = sweep
    m.sweepAxes = ["objective": objective, "beta": "\(beta)", "seed": "\(seed)"]
    try dir.writeManifest(m)

    let fd = open(dir.metricsPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw BenchError("cannot create \(dir.metricsPath)") }
    defer { close(fd) }
    var rng = SplitMix64(seed: UInt64(r) &* 0x9E37_79B9 &+ 1)
    var chunk = ""
    chunk.reserveCapacity(1 << 20)
    let t0 = 1_700_000_000.0
    for step in 1...max(1, steps) {
      chunk += "{\"step\":\(step),\"time\":\(t0 + Double(step) * 0.731),\"split\":\"train\""
      for key in ReadBench.keys {
        chunk += ",\"\(key)\":\(rng.unit() * 6 - 3)"
      }
      chunk += "}\n"
      if chunk.utf8.count >= 1 << 20 || step == steps {
        var bytes = chunk
        let failed = bytes.withUTF8 { writeAll(fd, UnsafeRawBufferPointer($0)) }
        if let errno = failed {
          throw BenchError("cannot write \(dir.metricsPath): \(String(cString: strerror(errno)))")
        }
        chunk.removeAll(keepingCapacity: true)
      }
    }
  }

  /// Bytes of every metrics.jsonl under `root`.
  static func metricsBytes(_ root: String) -> Int {
    var total = 0
    let walker = FileManager.default.enumerator(atPath: root)
    while let name = walker?.nextObject() as? String {
      guard name.hasSuffix(RunDirectory.metricsName) else { continue }
      var st = stat()
      if stat(root + "/" + name, &st) == 0 { total += Int(st.st_size) }
    }
    return total
  }
}

/// The first error of a parallel loop (any thread).
private final class FailureBox: @unchecked Sendable {
  // @unchecked: `first` only under `lock`.
  private let lock = NSLock()
  private var first: String?
  func set(_ message: String) { lock.withLock { if first == nil { first = message } } }
  var message: String? { lock.withLock { first } }
}

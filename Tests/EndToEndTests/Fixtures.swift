import Foundation
import Processes
import RunLog
import Sweeps

/// Finds the built `dpotop` binary and writes run directories for tests.
enum Fixtures {
  /// The `dpotop` (or `name`) executable of this build: beside the test bundle, else in
  /// the package's .build/debug.
  static func binary(_ name: String = "dpotop") throws -> String {
    var candidates: [String] = []
    if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
      for _ in 0..<3 {
        candidates.append(dir.appendingPathComponent(name).path)
        dir = dir.deletingLastPathComponent()
      }
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    candidates.append(root.appendingPathComponent(".build/debug/" + name).path)
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) })
    else {
      throw E2EError("no \(name) binary; looked in \(candidates.joined(separator: ", "))")
    }
    return found
  }

  /// A fresh temporary directory.
  static func tempDir(_ tag: String) throws -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("dpotop-\(tag)-\(getpid())-\(UUID().uuidString.prefix(8))").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// Writes a finished run `name` under `root` with `steps` train records.
  @discardableResult
  static func writeRun(
    root: String, name: String, objective: String, beta: Double, steps: Int,
    status: RunStatus = .finished, pid: Int32? = nil, drift: Double = -0.02
  ) throws -> RunDirectory {
    let dir = RunDirectory(path: root + "/" + name)
    try dir.create()
    var m = RunManifest(id: name, name: name, createdAt: 1_700_000_000, status: status)
    m.objective = objective
    m.beta = beta
    m.lambda = objective == "dpop" ? 50 : nil
    m.plannedSteps = steps
    m.pid = pid
    try dir.writeManifest(m)
    let w = try MetricsWriter(path: dir.metricsPath)
    for step in 1...max(1, steps) {
      try w.append(record(step: step, beta: beta, drift: drift))
    }
    return dir
  }

  /// One plausible DPO training record at `step`.
  static func record(step: Int, beta: Double, drift: Double) -> MetricRecord {
    let s = Double(step)
    let chosen = -20 + drift * s
    let rejected = -21 - 0.05 * s
    let refChosen = -20.0
    let refRejected = -21.0
    let rc = beta * (chosen - refChosen)
    let rr = beta * (rejected - refRejected)
    return MetricRecord(
      step: step, time: 1_700_000_000 + s,
      values: [
        ("loss", 0.69 / (1 + 0.02 * s)), ("rewards/chosen", rc), ("rewards/rejected", rr),
        ("rewards/margins", rc - rr), ("rewards/accuracies", min(1, 0.5 + 0.01 * s)),
        ("logps/chosen", chosen), ("logps/rejected", rejected), ("logps/ref_chosen", refChosen),
        ("logps/ref_rejected", refRejected),
      ])
  }

  /// Starts `argv` (argv[0] a path) with stdout and stderr appended to
  /// `log`, signals unblocked (the test runner's threads block most, and a
  /// child inherits the mask); returns its pid.
  static func spawn(_ argv: [String], log: String) throws -> pid_t {
    try ProcessLauncher.spawn(argv, logPath: log, mode: .child)
  }

  /// Waits for `pid`; returns its exit status (or 128 + signal).
  static func waitExit(_ pid: pid_t) -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
  }
}

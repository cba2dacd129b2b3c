import Foundation
import RunLog

/// Run directories and waits shared by the test targets that need real
/// files (LiveTests, EndToEndTests): one implementation, so the runs the
/// watcher's unit tests read are the runs the end-to-end tests show.
/// A library target, not a test target, because test targets cannot
/// import each other.
public enum RunFixtures {
  /// A fresh temporary directory.
  public static func tempDir(_ tag: String) throws -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("dpotop-\(tag)-\(getpid())-\(UUID().uuidString.prefix(8))").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// Writes a finished run `name` under `root` with `steps` train records.
  @discardableResult
  public static func writeRun(
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
  public static func record(step: Int, beta: Double, drift: Double) -> MetricRecord {
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
}

/// A wait that timed out, or another failure of a test's harness, naming what.
public struct WaitError: Error, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}

/// Polls `ok` every 20 ms until it holds; throws, naming `what`, after
/// `timeout` seconds. The one wait loop of the tests that wait on real
/// files and processes (the tmux screen waits and the watcher's collector
/// poll through it).
public func waitUntil(_ what: String, timeout: Double, _ ok: () -> Bool) throws {
  let deadline = Date().addingTimeInterval(timeout)
  while Date() < deadline {
    if ok() { return }
    usleep(20_000)
  }
  if ok() { return }
  throw WaitError("timed out after \(Int(timeout)) s waiting for \(what)")
}

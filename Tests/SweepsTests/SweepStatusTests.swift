import Foundation
import RunLog
import Testing

@testable import Sweeps

/// `dpotop sweep --status DIR` (moved out of the executable): one line per
/// run with the status its run.json says, `unreadable` where there is none.
@Suite struct SweepStatusTests {
  @Test func oneLinePerRunWithItsStatus() throws {
    let dir = NSTemporaryDirectory() + "dpotop-sweep-status-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    var spec = SweepSpec()
    spec.objectives = ["dpo"]
    spec.betas = [0.1, 0.3]
    let sweep = SweepManifest(id: "s-1", name: "s", createdAt: 0, backend: "local", spec: spec)
    try sweep.write(to: dir)
    let first = sweep.runs[0].name
    let m = RunManifest(id: first, name: first, createdAt: 0, status: .finished)
    let runDir = RunDirectory(path: dir + "/" + first)
    try runDir.create()
    try runDir.writeManifest(m)
    #expect(
      try SweepManifest.statusReport(dir: dir) == """
        sweep s: local, running
          \(first)  finished  -
          \(sweep.runs[1].name)  unreadable  -

        """)
  }
}

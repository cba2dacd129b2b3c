import Foundation
import Processes
import RunFixtures
import RunLog
import Sweeps

/// The shared run fixtures (Tests/RunFixtures: temporary directories, run
/// writers) under the name the tests use, with what only end-to-end tests
/// need: the built binary, spawning and waiting for processes.
typealias Fixtures = RunFixtures

extension RunFixtures {
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

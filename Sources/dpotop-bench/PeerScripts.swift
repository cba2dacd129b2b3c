import Foundation

/// The Python programs the benches measure dpotop against (numpy, a json.loads
/// loop, polars, tensorboard, wandb, torch): real files under `scripts/bench/`,
/// so they are linted and can be run by hand, found at run time.
enum PeerScripts {
  /// The path of `scripts/bench/NAME`: in `$DPOTOP_BENCH_SCRIPTS` when set,
  /// else in the first `scripts/bench` found beside the executable or above it
  /// (`.build/release/dpotop-bench` in a checkout, `bin/dpotop-bench` in the
  /// tarball), in `share/dpotop/`, the current directory or the source tree.
  /// Missing: the bench stops, naming every place it looked.
  static func path(_ name: String) -> String {
    var dirs: [String] = []
    if let env = ProcessInfo.processInfo.environment["DPOTOP_BENCH_SCRIPTS"], !env.isEmpty {
      dirs = [env]
    } else {
      dirs = BundledPaths.candidates("scripts/bench")
    }
    let paths = dirs.map { $0 + "/" + name }
    if let found = paths.first(where: { FileManager.default.fileExists(atPath: $0) }) {
      return found
    }
    fail(
      "the Python peer scripts/bench/\(name) is missing; looked for "
        + paths.joined(separator: ", "),
      hint: "run from a dpotop checkout, or set DPOTOP_BENCH_SCRIPTS to its scripts/bench")
  }
}

/// How one run of a Python peer ended: its figures, the peer package missing
/// (the bench prints why and goes on without it), or a failure to report.
enum PeerOutcome<Figures> {
  case ran(Figures)
  case missing(String)
  case failed(String)
}

/// The dashboard binary the on-screen benches drive in tmux (`tail --screen`,
/// `remote`): `$DPOTOP` when set, else `dpotop` beside this executable (both
/// are built together, and the tarball ships them side by side).
enum DpotopBinary {
  static var path: String {
    if let env = ProcessInfo.processInfo.environment["DPOTOP"], !env.isEmpty { return env }
    let exe = BundledPaths.executablePath() ?? CommandLine.arguments[0]
    let path = (exe as NSString).deletingLastPathComponent + "/dpotop"
    guard FileManager.default.isExecutableFile(atPath: path) else {
      fail(
        "no dpotop binary at \(path)",
        hint: "build both: swift build -c release (or set DPOTOP to the binary)")
    }
    return path
  }
}

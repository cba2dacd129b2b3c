import Foundation

/// `dpotop-bench NAME`: speed measurements, reported as ratios against the
/// tools users compare us with, measured side by side in one run.
///
/// A program of its own, so the product users install holds no benchmark and
/// no Python: each benchmark lives in `<Name>Bench.swift` and registers below;
/// the Python peers it runs are files under `scripts/bench/` (`PeerScripts`).
/// Build with `-c release` before trusting a figure.
@main
enum DpotopBench {
  /// Every benchmark, in the order `--help` lists them.
  static let benches: [Bench] = [
    ReadBench.bench,
    TFEventsBench.bench,
    WandbBench.bench,
    RenderBench.bench,
    RunsPaneBench.bench,
    MetricsGridBench.bench,
    MatmulBench.bench,
    TrainBench.bench,
    TailBench.bench,
    RemoteBench.bench,
    LogdirBench.bench,
  ]

  static var help: String {
    var help = """
      USAGE: dpotop-bench NAME [OPTIONS]

      Runs a benchmark and prints its figures. Build with 'swift build -c release'
      (or 'swift run -c release dpotop-bench ...'): debug builds are 10-100x slower.
      The Python peers are scripts/bench/*.py, found beside the executable, in the
      checkout it was built from or in $DPOTOP_BENCH_SCRIPTS. 'dpotop reproduce'
      (once 'dpotop bench science') is a command of dpotop itself.

      BENCHMARKS:

      """
    // The summaries start one column past the longest name.
    let width = (benches.map(\.name.count).max() ?? 0) + 2
    for b in benches {
      help += "  " + b.name.padding(toLength: width, withPad: " ", startingAt: 0) + b.summary + "\n"
    }
    help += "\nRun 'dpotop-bench NAME --help' for a benchmark's options."
    return help
  }

  static func main() {
    let args = Array(CommandLine.arguments.dropFirst())
    guard let name = args.first else {
      fail("needs a benchmark NAME", hint: "see 'dpotop-bench --help'")
    }
    if ["--help", "-h", "help"].contains(name) {
      print(help)
      exit(0)
    }
    guard let bench = benches.first(where: { $0.name == name }) else {
      fail("unknown benchmark '\(name)'", hint: "see 'dpotop-bench --help'")
    }
    let rest = Array(args.dropFirst())
    if rest.contains("--help") || rest.contains("-h") {
      print(bench.help)
      exit(0)
    }
    exit(bench.run(rest))
  }
}

/// One benchmark: a name, a one-line summary and its body.
struct Bench: Sendable {
  let name: String
  let summary: String
  let help: String
  let run: @Sendable ([String]) -> Int32
}

/// Prints `message` (and a hint) to stderr and exits with status 2.
func fail(_ message: String, hint: String? = nil, status: Int32 = 2) -> Never {
  var text = "dpotop-bench: \(message)\n"
  if let hint { text += "  hint: \(hint)\n" }
  FileHandle.standardError.write(Data(text.utf8))
  exit(status)
}

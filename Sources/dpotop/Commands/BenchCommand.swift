import Foundation

/// `dpotop bench NAME`: speed measurements, reported as ratios against the
/// tools users compare us with, measured side by side in one run.
///
/// Each benchmark lives in `Bench/<Name>Bench.swift` and registers below.
/// Build with `-c release` before trusting a figure.
enum BenchCommand {
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
    ScienceBench.bench,
    TailBench.bench,
    RemoteBench.bench,
  ]

  static var command: Command {
    var help = """
      USAGE: dpotop bench NAME [OPTIONS]

      Runs a benchmark and prints its figures. Build with 'swift build -c release'
      (or 'swift run -c release dpotop bench ...'): debug builds are 10-100x slower.

      BENCHMARKS:

      """
    for b in benches {
      help += "  " + b.name.padding(toLength: 10, withPad: " ", startingAt: 0) + b.summary + "\n"
    }
    help += "\nRun 'dpotop bench NAME --help' for a benchmark's options."
    return Command(
      name: "bench", summary: "measure speed against the tools users compare us with",
      help: help, run: run, helpFor: { [help] args in helpFor(args) ?? help })
  }

  /// `bench NAME --help` prints NAME's own help (nil: no known NAME given).
  static func helpFor(_ args: [String]) -> String? {
    guard let name = args.first, let bench = benches.first(where: { $0.name == name }) else {
      return nil
    }
    return bench.help
  }

  static func run(_ args: [String]) -> Int32 {
    guard let name = args.first else {
      fail("bench needs a NAME", hint: "see 'dpotop bench --help'")
    }
    guard let bench = benches.first(where: { $0.name == name }) else {
      fail("unknown benchmark '\(name)'", hint: "see 'dpotop bench --help'")
    }
    return bench.run(Array(args.dropFirst()))
  }
}

/// One benchmark: a name, a one-line summary and its body.
struct Bench: Sendable {
  let name: String
  let summary: String
  let help: String
  let run: @Sendable ([String]) -> Int32
}

import Foundation

/// `dpotop bench science`, the old name of `dpotop reproduce`, accepted for
/// one release (0.1.x; it goes in the next) with a one-line notice on stderr.
/// Every other `dpotop bench NAME` moved to the `dpotop-bench` program, which
/// the message names: the product itself holds no benchmark.
enum BenchAlias {
  /// The arguments with `bench science` rewritten to `reproduce`.
  static func rewrite(_ args: [String]) -> [String] {
    guard args.first == "bench" else { return args }
    guard args.count > 1, args[1] == "science" else {
      fail(
        "the benchmarks moved to their own program, dpotop-bench",
        hint: "swift run -c release dpotop-bench \(args.count > 1 ? args[1] : "--help")")
    }
    FileHandle.standardError.write(
      Data(
        "dpotop: 'bench science' is now 'reproduce'; the old name goes in the next release\n".utf8))
    return ["reproduce"] + args.dropFirst(2)
  }
}

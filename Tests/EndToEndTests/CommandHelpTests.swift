import Foundation
import Testing

/// `dpotop-bench NAME --help` prints NAME's own help (issue #16 defect 9);
/// `dpotop bench science` is `dpotop reproduce` for one more release, with a
/// notice; the other benchmarks are no longer in `dpotop` (issue 27 item 3).
@Suite struct CommandHelpTests {
  private func run(_ args: [String], binary: String = "dpotop") throws -> (
    status: Int32, output: String
  ) {
    let dir = try Fixtures.tempDir("help")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let pid = try Fixtures.spawn([try Fixtures.binary(binary)] + args, log: dir + "/out.txt")
    let status = Fixtures.waitExit(pid)
    let text = String(
      decoding: FileManager.default.contents(atPath: dir + "/out.txt") ?? Data(), as: UTF8.self)
    return (status, text)
  }

  private func output(_ args: [String], binary: String = "dpotop") throws -> String {
    let (status, text) = try run(args, binary: binary)
    #expect(status == 0, "\(binary) \(args): \(text)")
    return text
  }

  @Test func benchNameHelpIsTheBenchmarksOwn() throws {
    #expect(
      try output(["read", "--help"], binary: "dpotop-bench").hasPrefix("USAGE: dpotop-bench read "))
    #expect(
      try output(["tfevents", "-h"], binary: "dpotop-bench").hasPrefix(
        "USAGE: dpotop-bench tfevents"))
    #expect(try output(["--help"], binary: "dpotop-bench").hasPrefix("USAGE: dpotop-bench NAME"))
    #expect(try output(["summary", "--help"]).hasPrefix("USAGE: dpotop summary"))
  }

  @Test func benchScienceIsReproduceWithANotice() throws {
    #expect(try output(["reproduce", "--help"]).hasPrefix("USAGE: dpotop reproduce"))
    let old = try output(["bench", "science", "--help"])
    #expect(old.contains("dpotop: 'bench science' is now 'reproduce'"))
    #expect(old.contains("USAGE: dpotop reproduce"))
    #expect(!(try output(["--help"])).contains("bench "))
    let moved = try run(["bench", "read"])
    #expect(moved.status == 2)
    #expect(moved.output.contains("dpotop-bench"))
  }

  @Test func aMissingPeerScriptIsNamed() throws {
    let dir = try Fixtures.tempDir("no-scripts")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let pid = try Fixtures.spawn(
      [
        "/usr/bin/env", "DPOTOP_BENCH_SCRIPTS=\(dir)/nowhere", try Fixtures.binary("dpotop-bench"),
        "matmul",
      ], log: dir + "/out.txt")
    #expect(Fixtures.waitExit(pid) == 2)
    let text = String(
      decoding: FileManager.default.contents(atPath: dir + "/out.txt") ?? Data(), as: UTF8.self)
    #expect(text.contains("\(dir)/nowhere/matmul_numpy.py"))
  }
}

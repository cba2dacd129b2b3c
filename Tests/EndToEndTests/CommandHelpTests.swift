import Foundation
import Testing

/// `dpotop bench NAME --help` prints NAME's own help (issue #16 defect 9).
@Suite struct CommandHelpTests {
  private func output(_ args: [String]) throws -> String {
    let dir = try Fixtures.tempDir("help")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let pid = try Fixtures.spawn([try Fixtures.binary()] + args, log: dir + "/out.txt")
    #expect(Fixtures.waitExit(pid) == 0)
    return String(
      decoding: FileManager.default.contents(atPath: dir + "/out.txt") ?? Data(), as: UTF8.self)
  }

  @Test func benchNameHelpIsTheBenchmarksOwn() throws {
    #expect(try output(["bench", "read", "--help"]).hasPrefix("USAGE: dpotop bench read "))
    #expect(try output(["bench", "tfevents", "-h"]).hasPrefix("USAGE: dpotop bench tfevents"))
    #expect(try output(["bench", "--help"]).hasPrefix("USAGE: dpotop bench NAME"))
    #expect(try output(["summary", "--help"]).hasPrefix("USAGE: dpotop summary"))
  }
}

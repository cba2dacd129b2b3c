import Foundation
import Testing

@testable import Live

@Suite struct LogTailTests {
  @Test func lastLinesOfSmallAndLargeLogs() throws {
    let dir = try Fixtures.tempDir("logtail")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let small = dir + "/small.log"
    try "one\ntwo\nthree\n".write(toFile: small, atomically: true, encoding: .utf8)
    #expect(LogTail.read(small, lines: 2) == ["two", "three"])
    #expect(LogTail.read(small, lines: 10) == ["one", "two", "three"])

    // Only the final bytes are read; the cut first line is dropped.
    let big = dir + "/big.log"
    let text = (1...5000).map { "line \($0) " + String(repeating: "x", count: 40) }
      .joined(separator: "\n")
    try text.write(toFile: big, atomically: true, encoding: .utf8)
    let tail = LogTail.read(big, lines: 3, maxBytes: 4096)
    #expect(tail.count == 3)
    #expect(tail.last?.hasPrefix("line 5000 ") == true)
    #expect(LogTail.read(big, lines: 1000, maxBytes: 4096).allSatisfy { $0.hasPrefix("line ") })

    #expect(LogTail.read(dir + "/missing.log").isEmpty)
    #expect(LogTail.read(dir).isEmpty)  // a directory, not a log
  }
}

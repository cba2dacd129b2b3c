import Foundation
import Testing

@testable import RunLog

/// Inputs that once broke an invariant of a fuzz harness (Tests/Fuzz), and the
/// committed seed corpora replayed through the same checks.
@Suite struct FuzzRegressionTests {
  /// Records and counts from feeding `bytes` in chunks of `chunk` bytes (0 = whole).
  private func read(_ bytes: [UInt8], chunk: Int, limit: Int) -> (
    [MetricRecord], lines: Int, bad: Int, blank: Int, reports: [BadLine]
  ) {
    let reader = TailReader(path: "f")
    reader.maxLineBytes = limit
    var records: [MetricRecord] = []
    let step = chunk == 0 ? max(bytes.count, 1) : chunk
    var i = 0
    while i < bytes.count {
      let j = min(bytes.count, i + step)
      _ = bytes[i..<j].withUnsafeBytes { reader.feed($0) { records.append($0) } }
      i = j
    }
    _ = reader.finish { records.append($0) }
    return (records, reader.lineCount, reader.badCount, reader.blankCount, reader.recentBad)
  }

  @Test func longLineVerdictDoesNotDependOnChunking() {
    // Found in review of the harness invariants: a line over the limit fed in
    // one piece used to be parsed, while fed in pieces it was rejected.
    let bytes = Array(
      ("{\"step\":1,\"loss\":0.5,\"pad\":\"" + String(repeating: "x", count: 40) + "\"}\n").utf8)
    let whole = read(bytes, chunk: 0, limit: 32)
    let pieces = read(bytes, chunk: 5, limit: 32)
    #expect(whole.0.isEmpty && pieces.0.isEmpty)
    #expect(whole.bad == 1 && pieces.bad == 1)
    #expect(whole.reports == pieces.reports)
  }

  @Test func overlongUnterminatedLastLineIsCountedAtFinish() {
    let bytes = Array(String(repeating: "y", count: 100).utf8)
    let r = read(bytes, chunk: 10, limit: 32)
    #expect(r.lines == 1 && r.bad == 1)
    #expect(r.reports.first?.reason == "line longer than 32 bytes")
  }

  @Test func whitespaceOnlyLinesWithCarriageReturnsAreBlank() {
    let r = read(Array(" \r\r\n\t\r\n\n".utf8), chunk: 1, limit: 100)
    #expect(r.lines == 3 && r.blank == 3 && r.bad == 0)
  }

  @Test func seedCorporaKeepTheHarnessInvariants() throws {
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("FuzzCorpus/metrics_tail")
    let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
    #expect(files.count >= 5)
    for name in files {
      let bytes = try [UInt8](Data(contentsOf: dir.appendingPathComponent(name)))
      let whole = read(bytes, chunk: 0, limit: 1 << 20)
      for chunk in [1, 2, 3, 7, 64] {
        let pieces = read(bytes, chunk: chunk, limit: 1 << 20)
        #expect(pieces.0 == whole.0, "\(name) in chunks of \(chunk)")
        #expect(pieces.reports == whole.reports, "\(name) in chunks of \(chunk)")
      }
      #expect(whole.0.count + whole.bad + whole.blank == whole.lines, "\(name)")
    }
  }
}

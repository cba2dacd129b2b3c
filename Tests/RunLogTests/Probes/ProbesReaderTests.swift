import Foundation
import Testing

@testable import RunLog

/// `probes.jsonl`: encoding, and a reader that keeps what it read and counts bad lines.
@Suite struct ProbesReaderTests {
  func probe(step: Int = 25, pair: Int = 0, prompt: String = "2+2?\n") -> ProbeRecord {
    ProbeRecord(
      step: step, pair: pair, prompt: prompt, chosenTokens: ["4", "</s>"],
      rejectedTokens: ["5", "</s>"], chosenLogps: [-0.25, -0.0001], rejectedLogps: [-3, -1.5],
      chosenRefLogps: [-0.5, 0], rejectedRefLogps: [-2.75, -1.25], firstDiff: 0)
  }

  @Test func encodesCompactlyAndReadsBack() throws {
    let line = ProbeLineEncoder.line(probe())
    #expect(line.hasSuffix("}\n") && line.filter { $0 == "\n" }.count == 1)
    #expect(line.contains("\"chosen_logps\":[-0.25,-0.0001]"))
    #expect(line.contains("\"rejected_logps\":[-3,-1.5]"))
    #expect(line.contains("\"prompt\":\"2+2?\\n\""))
    #expect(ProbeLineEncoder.compact(-0.000_04, decimals: 4) == "0")
    #expect(ProbeLineEncoder.compact(-1.234_56, decimals: 4) == "-1.2346")
    let parsed = try ProbesParser.record(Array(line.utf8.dropLast())).get()
    #expect(parsed == probe())
    #expect(parsed.chosenTotals == ProbeDeltaTotals(prefix: 0, fromEdit: 0.25 - 0.0001))
    #expect(parsed.rejectedTotals.whole == -0.5)
  }

  @Test func deltaTotalsSplitAtTheFirstDifference() {
    var p = probe()
    p.firstDiff = 1
    #expect(p.chosenTotals.prefix == 0.25)
    #expect(abs(p.chosenTotals.fromEdit - -0.0001) < 1e-12)
    p.firstDiff = 2
    #expect(p.rejectedTotals.fromEdit == 0)
  }

  @Test func keepsWhatItReadAndCountsBadLines() throws {
    let dir = TempDir()
    let path = dir.file("probes.jsonl")
    let good = ProbeLineEncoder.line(probe())
    let good2 = ProbeLineEncoder.line(probe(pair: 1))
    dir.write("probes.jsonl", good)
    let reader = ProbesReader(path: path)
    #expect(try reader.poll())
    #expect(reader.log.records.count == 1)
    // A truncated line waits for its newline.
    let half = String(good2.prefix(40))
    dir.append("probes.jsonl", half)
    #expect(try !reader.poll())
    #expect(reader.log.records.count == 1 && reader.log.badCount == 0)
    dir.append("probes.jsonl", String(good2.dropFirst(40)))
    #expect(try reader.poll())
    #expect(reader.log.pairs == [0, 1])
    // Bad lines: counted with their line number, never fatal.
    let wrongLength = good.replacingOccurrences(
      of: "\"chosen_logps\":[-0.25,-0.0001]", with: "\"chosen_logps\":[-0.25]")
    let nan = good.replacingOccurrences(of: "[-3,-1.5]", with: "[NaN,-1.5]")
    let badDiff = good.replacingOccurrences(of: "\"first_diff\":0", with: "\"first_diff\":3")
    let noPair = good.replacingOccurrences(of: "\"pair\":0,", with: "")
    dir.append("probes.jsonl", wrongLength + nan + badDiff + noPair + "{\"step\":1,\n" + "[]\n")
    try reader.poll()
    #expect(reader.log.records.count == 2)
    #expect(reader.log.badCount == 6)
    let reasons = reader.log.recentBad.map(\.reason)
    #expect(reasons[0].contains("chosen arrays differ in length"))
    #expect(reasons[1].contains("rejected_logps"))
    #expect(reasons[2].contains("first_diff"))
    #expect(reasons[3].contains("pair"))
    #expect(reader.log.recentBad.map(\.line) == [3, 4, 5, 6, 7, 8])
    #expect(reader.log.recentBad[0].description.hasPrefix(path + ":3: "))
    // A 10 MB token string: bad, not buffered whole, and what follows still reads.
    let huge = good.replacingOccurrences(
      of: "\"4\"", with: "\"" + String(repeating: "x", count: 10 << 20) + "\"")
    dir.append("probes.jsonl", huge + ProbeLineEncoder.line(probe(step: 50)))
    try reader.poll()
    #expect(reader.log.badCount == 7)
    #expect(reader.log.recentBad.last?.reason.contains("longer than") == true)
    #expect(reader.log.steps == [25, 50])
    #expect(reader.log.record(pair: 0, atOrBefore: 30)?.step == 25)
    #expect(reader.log.record(pair: 0, atOrBefore: nil)?.step == 50)
    #expect(reader.log.record(pair: 1, atOrBefore: 10) == nil)
  }

  @Test func replacedFileStartsOverAndMissingFileIsEmpty() throws {
    let dir = TempDir()
    let reader = ProbesReader(path: dir.file("probes.jsonl"))
    #expect(try !reader.poll())
    #expect(reader.log.records.isEmpty && reader.log.error == nil)
    dir.write(
      "probes.jsonl", ProbeLineEncoder.line(probe()) + ProbeLineEncoder.line(probe(pair: 1)))
    try reader.poll()
    #expect(reader.log.records.count == 2)
    dir.write("probes.jsonl", ProbeLineEncoder.line(probe(pair: 5)))
    try reader.poll()
    #expect(reader.log.pairs == [5])
    // A directory in its place: an error naming the file; what was read stays.
    try FileManager.default.removeItem(atPath: dir.file("probes.jsonl"))
    try FileManager.default.createDirectory(
      atPath: dir.file("probes.jsonl"), withIntermediateDirectories: false)
    #expect(throws: RunLogError.self) { try reader.poll() }
    #expect(reader.log.pairs == [5])
    #expect(reader.log.error?.contains("probes.jsonl") == true)
  }

  @Test func probesFileIsNotTakenForAMetricsLog() {
    let dir = TempDir()
    dir.write("metrics.jsonl", "{\"step\":1,\"loss\":0.5}\n")
    dir.write("probes.jsonl", ProbeLineEncoder.line(probe()))
    #expect(MetricsLogSniffer.logs(in: dir.path) == [dir.file("metrics.jsonl")])
  }

  @Test func anyChunkingGivesTheSameProbes() {
    let text = ProbeLineEncoder.line(probe()) + "garbage\n" + ProbeLineEncoder.line(probe(pair: 2))
    let bytes = Array(text.utf8)
    for chunk in [1, 7, 64, bytes.count] {
      let parser = ProbesParser(path: "p")
      var got: [ProbeRecord] = []
      var i = 0
      while i < bytes.count {
        let end = min(bytes.count, i + chunk)
        bytes[i..<end].withUnsafeBytes { _ = parser.feed($0) { got.append($0) } }
        i = end
      }
      #expect(got.map(\.pair) == [0, 2], "chunk \(chunk)")
      #expect(parser.badCount == 1)
    }
  }
}

/// The committed probes_tail seeds (Tests/FuzzCorpus) read with the counts
/// the harness checks: whole and chunked agree, good + bad = lines.
@Suite struct ProbesCorpusTests {
  @Test func seedCorpusReadsConsistently() throws {
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("FuzzCorpus/probes_tail")
    let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    #expect(names.count >= 3)
    var good = 0
    var bad = 0
    for name in names {
      let bytes = try [UInt8](Data(contentsOf: dir.appendingPathComponent(name)))
      let whole = ProbesParser(path: name)
      var a: [ProbeRecord] = []
      bytes.withUnsafeBytes { _ = whole.feed($0) { a.append($0) } }
      let pieces = ProbesParser(path: name)
      var b: [ProbeRecord] = []
      for byte in bytes { [byte].withUnsafeBytes { _ = pieces.feed($0) { b.append($0) } } }
      #expect(a == b && whole.recentBad == pieces.recentBad, "\(name)")
      #expect(a.count + whole.badCount == whole.lineCount, "\(name)")
      good += a.count
      bad += whole.badCount
    }
    #expect(good == 5 && bad == 3)
  }
}

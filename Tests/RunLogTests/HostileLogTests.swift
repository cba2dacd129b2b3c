import Foundation
import Testing

@testable import RunLog

/// Hostile logs (issue #16 defects 1-3): nothing a reader already has is lost,
/// and each problem is said once, clearly.
@Suite struct HostileLogTests {
  /// Reads `text` with a fresh reader, whole.
  private func read(_ bytes: [UInt8], names: MetricLineParser.KeyNames = .native) -> (
    store: SeriesStore, reader: TailReader
  ) {
    let reader = TailReader(path: "m.jsonl", names: names)
    var store = SeriesStore()
    bytes.withUnsafeBytes { _ = reader.feed($0) { store.append($0) } }
    _ = reader.finish { store.append($0) }
    return (store, reader)
  }

  /// Past the key cap, records keep their known keys; only new keys are
  /// dropped, and that is reported once.
  @Test func keysBeyondTheCapAreDroppedNotTheirRecords() {
    var text = ""
    for i in 0..<(MetricLineParser.maxKeys + 50) {
      text += "{\"step\": \(i), \"loss\": \(i), \"ex/\(i)\": 1}\n"
    }
    let (store, reader) = read(Array(text.utf8))
    #expect(reader.badCount == 0)
    #expect(store.series("loss")?.count == MetricLineParser.maxKeys + 50)
    #expect(store.keys(.train).count == MetricLineParser.maxKeys)
    let notes = reader.recentBad.filter { $0.reason.hasPrefix(TailReader.droppedKeysNote) }
    #expect(notes.count == 1)
    #expect(notes.first?.reason.contains("\"ex/\(MetricLineParser.maxKeys - 1)\"") == true)
  }

  /// One line with more fields than the cap is kept: its step, split, time
  /// and first fields up to the cap, the rest dropped and reported once (the
  /// same rule as keys that arrive one a line; issue 30). The lines after it
  /// keep every value of the keys it made known.
  @Test func oneHugeLineKeepsItsStepAndFirstFields() {
    for extra in [1, 50_000] {
      var huge = "{\"step\": 1, \"split\": \"eval\", \"time\": 12.5, \"loss\": 0.75"
      for i in 0..<(MetricLineParser.maxKeys + extra) { huge += ", \"k\(i)\": \(i)" }
      huge += "}\n"
      let text = huge + "{\"step\": 2, \"split\": \"eval\", \"loss\": 0.5, \"k3\": 7}\n"
      let (store, reader) = read(Array(text.utf8))
      #expect(reader.badCount == 0)
      #expect(store.recordCount == 2)
      #expect(store.series("loss", .eval)?.steps == [1, 2])
      #expect(store.series("loss", .eval)?.values == [0.75, 0.5])
      #expect(store.series("k3", .eval)?.values == [3, 7])
      // loss and k0 ... k9998: the cap, and not one key more.
      #expect(store.keys(.eval).count == MetricLineParser.maxKeys)
      #expect(reader.parser.droppedValues == extra + 1)
      let notes = reader.recentBad.filter { $0.reason.hasPrefix(TailReader.droppedKeysNote) }
      #expect(notes.count == 1)
      #expect(notes.first?.reason.contains("\"k\(MetricLineParser.maxKeys - 1)\"") == true)
    }
  }

  /// A bad line's keys are forgotten (it leaves nothing behind).
  @Test func aBadLineInternsNoKeys() {
    let text = "{\"step\": 1, \"a\": 1, \"b\": 2} trailing\n{\"step\": 2, \"b\": 3, \"a\": 4}\n"
    let (store, reader) = read(Array(text.utf8))
    #expect(reader.badCount == 1)
    #expect(reader.parser.keys == ["b", "a"])
    #expect(store.series("a")?.values == [4])
  }

  /// A negative step is a bad line: it does not discard the records before it.
  @Test func negativeStepIsBadAndDiscardsNothing() {
    for names in [MetricLineParser.KeyNames.native, .imported] {
      let key = names == .native ? "step" : "global_step"
      var text = ""
      for s in 1...5 { text += "{\"\(key)\": \(s), \"loss\": \(s)}\n" }
      text += "{\"\(key)\": -1, \"loss\": 9}\n"
      let (store, reader) = read(Array(text.utf8), names: names)
      #expect(store.series("loss")?.steps == [1, 2, 3, 4, 5])
      #expect(reader.badCount == 1)
      #expect(reader.recentBad.first?.line == 6)
      #expect(reader.recentBad.first?.reason == "field \"\(key)\" is negative")
    }
  }

  /// A real resume (a trainer restarting from a checkpoint) still supersedes.
  @Test func aRealResumeStillSupersedes() {
    var text = ""
    for s in 1...5 { text += "{\"step\": \(s), \"loss\": \(s)}\n" }
    for s in 3...4 { text += "{\"step\": \(s), \"loss\": \(s * 10)}\n" }
    let (store, reader) = read(Array(text.utf8))
    #expect(reader.badCount == 0)
    #expect(store.series("loss")?.steps == [1, 2, 3, 4])
    #expect(store.series("loss")?.values == [1, 2, 30, 40])
  }

  /// A UTF-8 byte-order mark at the start is skipped, in any chunking.
  @Test func utf8ByteOrderMarkIsSkipped() {
    let bytes =
      [0xEF, 0xBB, 0xBF] + Array("{\"step\": 1, \"loss\": 2}\n{\"step\": 2, \"loss\": 3}\n".utf8)
    let (store, reader) = read(bytes)
    #expect(reader.badCount == 0)
    #expect(store.series("loss")?.steps == [1, 2])
    for cut in 1..<5 {
      let r = TailReader(path: "m.jsonl")
      var got: [MetricRecord] = []
      bytes.withUnsafeBytes { raw in
        _ = r.feed(UnsafeRawBufferPointer(rebasing: raw[0..<cut])) { got.append($0) }
        _ = r.feed(UnsafeRawBufferPointer(rebasing: raw[cut...])) { got.append($0) }
      }
      #expect(got.map(\.step) == [1, 2])
    }
    // Only at the start of the file: later, it is a bad line.
    let later =
      Array("{\"step\": 1, \"loss\": 2}\n".utf8) + [0xEF, 0xBB, 0xBF]
      + Array("{\"step\": 2}\n".utf8)
    #expect(read(later).reader.badCount == 1)
  }

  /// A UTF-16 file is said to be UTF-16 once, not "expected a JSON object" per line.
  @Test func utf16FileIsReportedOnce() throws {
    let text =
      "{\"step\": 1, \"loss\": 2}\n{\"step\": 2, \"loss\": 3}\n{\"step\": 3, \"loss\": 4}\n"
    for (bytes, order) in [
      ([0xFF, 0xFE] + Array(text.data(using: .utf16LittleEndian)!), "little-endian"),
      (Array(text.data(using: .utf16BigEndian)!), "big-endian"),
    ] {
      let (store, reader) = read(bytes)
      #expect(store.recordCount == 0)
      #expect(reader.badCount == reader.lineCount - reader.blankCount)
      #expect(reader.recentBad.count == 1)
      let reason = try #require(reader.recentBad.first?.reason)
      #expect(reason.contains("UTF-16 (\(order))") && reason.contains("must be UTF-8"))
    }
  }
}

/// A `.csv` named directly is CSV (issue #16 defect 8), and CSV gets the
/// same negative-step and byte-order-mark rules as JSON lines.
@Suite struct HostileCSVTests {
  @Test func wideCSVGivenAsAFileIsReadAsCSV() throws {
    let dir = Fixture.tempDir()
    let names = (0..<20_000).map { "m\($0)" }
    let header = "step," + names.joined(separator: ",") + "\n"
    let row1 = "1," + names.indices.map { "\($0)" }.joined(separator: ",") + "\n"
    Fixture.write(dir + "/wide.csv", Array((header + row1).utf8))
    let (run, _) = try LoadedRun.loadAny(dir + "/wide.csv")
    #expect(run.manifest?.trainer == "csv")
    #expect(run.badCount == 0)
    #expect(run.store.keys(.train).count == 20_000)
    #expect(run.store.series("m19999")?.values == [19_999])
    // Found in a walk too (the header is looked for in the row cap, not 4 kB).
    #expect(RunDiscovery.find(under: dir).map(\.format.name) == ["csv"])
  }

  @Test func csvHeaderPastTheRowCapIsSaidOnceWithTheCap() throws {
    let dir = Fixture.tempDir()
    let header = "step," + String(repeating: "x", count: CSVMetricsParser.defaultMaxRowBytes) + "\n"
    Fixture.write(dir + "/huge.csv", Array((header + "1,2\n2,3\n").utf8))
    let (run, _) = try LoadedRun.loadAny(dir + "/huge.csv")
    #expect(run.badCount == 1)
    #expect(
      run.recentBad.first?.reason.contains("\(CSVMetricsParser.defaultMaxRowBytes) bytes") == true)
    #expect(run.recentBad.first?.reason.contains("header") == true)
  }

  @Test func csvNegativeStepIsBadAndBOMIsSkipped() {
    let parser = CSVMetricsParser(path: "m.csv")
    var store = SeriesStore()
    let text = [0xEF, 0xBB, 0xBF] + Array("step,loss\n1,1\n2,2\n-1,9\n".utf8)
    text.withUnsafeBytes { _ = parser.feed($0) { store.append($0) } }
    #expect(store.series("loss")?.steps == [1, 2])
    #expect(parser.badCount == 1)
    #expect(parser.recentBad.first?.reason == "step -1 is negative")
  }
}

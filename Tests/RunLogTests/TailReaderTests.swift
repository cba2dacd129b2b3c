import Foundation
import Testing

@testable import RunLog

@Suite struct TailReaderTests {
  @Test func partialLastLineIsKeptUntilItsNewlineArrives() throws {
    let dir = TempDir()
    dir.write("m.jsonl", line(1, loss: 0.5) + "{\"step\":2,\"lo")
    let reader = TailReader(path: dir.file("m.jsonl"))
    var store = SeriesStore()
    let first = try reader.poll(into: &store)
    #expect(first.records == 1 && first.badLines == 0)
    #expect(store.series("loss")?.values == [0.5])
    #expect(reader.lineCount == 1)

    dir.append("m.jsonl", "ss\":0.25}\n")
    let second = try reader.poll(into: &store)
    #expect(second.records == 1 && second.badLines == 0 && !second.reset)
    #expect(store.series("loss")?.steps == [1, 2])
    #expect(store.series("loss")?.values == [0.5, 0.25])
  }

  @Test func aByteBudgetReadsABigFileInWholeLineSlices() throws {
    let dir = TempDir()
    var text = ""
    for step in 1...2000 { text += line(step, loss: Double(step) / 8) }
    text += "{\"step\":2001,\"lo"  // a partial last line stays for later
    dir.write("m.jsonl", text)
    let whole = TailReader(path: dir.file("m.jsonl"))
    var expected = SeriesStore()
    try whole.poll(into: &expected)

    let sliced = TailReader(path: dir.file("m.jsonl"))
    sliced.maxBytesPerPoll = 1000
    var store = SeriesStore()
    var polls = 0
    var records = 0
    while true {
      var delta = SeriesStore()
      let poll = try sliced.poll(into: &delta)
      polls += 1
      records += poll.records
      // Every slice ends at a line end: no record is split between deltas.
      #expect(poll.badLines == 0)
      if let s = delta.series("loss") {
        for i in 0..<s.count {
          store.append(key: "loss", split: .train, step: s.steps[i], value: s.values[i])
        }
      }
      if !poll.more { break }
      #expect(poll.records > 0)
    }
    #expect(polls > 20)
    #expect(records == 2000)
    #expect(store.series("loss") == expected.series("loss"))
    dir.append("m.jsonl", "ss\":9}\n")
    var last = SeriesStore()
    #expect(try sliced.poll(into: &last).records == 1)
    #expect(last.series("loss")?.steps == [2001])
  }

  @Test func aLineSplitAtEveryByteReadsTheSame() throws {
    let text =
      line(1, loss: 0.1) + "{\"step\":2,\"loss\":NaN,\"x\":-1.5e-300}\r\n" + line(3, loss: 3)
    let bytes = Array(text.utf8)
    let whole = TailReader(path: "w")
    var expected: [MetricRecord] = []
    _ = bytes.withUnsafeBytes { whole.feed($0) { expected.append($0) } }
    for cut in 0...bytes.count {
      let reader = TailReader(path: "c")
      var got: [MetricRecord] = []
      _ = bytes[..<cut].withUnsafeBytes { reader.feed($0) { got.append($0) } }
      _ = bytes[cut...].withUnsafeBytes { reader.feed($0) { got.append($0) } }
      #expect(got == expected, "cut at \(cut)")
    }
    #expect(expected.count == 3)
  }

  @Test func truncationStartsOverAndSaysSo() throws {
    let dir = TempDir()
    dir.write("m.jsonl", line(1, loss: 1) + line(2, loss: 2) + line(3, loss: 3))
    let reader = TailReader(path: dir.file("m.jsonl"))
    var store = SeriesStore()
    try reader.poll(into: &store)
    #expect(store.series("loss")?.count == 3)

    dir.truncate("m.jsonl", to: 0)
    dir.append("m.jsonl", line(1, loss: 9))
    let poll = try reader.poll(into: &store)
    #expect(poll.reset)
    #expect(store.series("loss")?.values == [9])
    #expect(reader.lineCount == 1)
  }

  @Test func rewriteToALongerFileIsNoticedByItsChangedBytes() throws {
    let dir = TempDir()
    dir.write("m.jsonl", line(1, loss: 1))
    let reader = TailReader(path: dir.file("m.jsonl"))
    var store = SeriesStore()
    try reader.poll(into: &store)
    // Same inode, truncated and rewritten past the old offset between two polls.
    dir.truncate("m.jsonl", to: 0)
    dir.append("m.jsonl", line(5, loss: 7) + line(6, loss: 8))
    let poll = try reader.poll(into: &store)
    #expect(poll.reset)
    #expect(store.series("loss")?.steps == [5, 6])
  }

  @Test func replacedFileIsReadFromTheStart() throws {
    let dir = TempDir()
    dir.write("m.jsonl", line(1, loss: 1) + line(2, loss: 2))
    let reader = TailReader(path: dir.file("m.jsonl"))
    var store = SeriesStore()
    try reader.poll(into: &store)
    // A new file renamed over the old one: a new inode, even if longer.
    let replacement = line(1, loss: 5) + line(2, loss: 6) + line(3, loss: 7)
    dir.write("new.jsonl", replacement)
    #expect(rename(dir.file("new.jsonl"), dir.file("m.jsonl")) == 0)
    let poll = try reader.poll(into: &store)
    #expect(poll.reset && poll.records == 3)
    #expect(store.series("loss")?.values == [5, 6, 7])
  }

  @Test func tenThousandGarbageLinesAmongGoodOnes() throws {
    var rng = SplitMix64(seed: 42)
    var text = ""
    var good: [(Int, Double)] = []
    var bad = 0
    var step = 0
    for _ in 0..<20_000 {
      if rng.next() % 2 == 0 {
        step += 1
        let v = Double(rng.next() % 1_000_000) / 1000
        good.append((step, v))
        text += line(step, loss: v)
      } else {
        text += garbage(&rng) + "\n"
        bad += 1
      }
    }
    let dir = TempDir()
    dir.write("m.jsonl", text)
    let reader = TailReader(path: dir.file("m.jsonl"))
    var store = SeriesStore()
    let poll = try reader.poll(into: &store)
    #expect(poll.records == good.count)
    #expect(poll.badLines == bad && reader.badCount == bad)
    #expect(reader.lineCount == good.count + bad)
    #expect(store.series("loss")?.steps == good.map(\.0))
    #expect(store.series("loss")?.values == good.map(\.1))
    #expect(reader.recentBad.count == reader.keptBadLines)
    #expect(bad > 9_000)
  }

  @Test func nonUTF8BytesMakeABadLineNamingFileAndLine() throws {
    let dir = TempDir()
    var bytes = Array(line(1, loss: 1).utf8)
    bytes +=
      Array("{\"step\":2,\"k\u{e9}\":1,\"note\":\"".utf8) + [0xFF, 0xC3] + Array("\"}\n".utf8)
    bytes += Array("{\"step\":3,\"".utf8) + [0xED, 0xA0, 0x80] + Array("\":1}\n".utf8)
    bytes += Array(line(4, loss: 4).utf8)
    let path = dir.write("m.jsonl", bytes)
    let reader = TailReader(path: path)
    var store = SeriesStore()
    let poll = try reader.poll(into: &store)
    #expect(poll.records == 2 && poll.badLines == 2)
    #expect(reader.recentBad.map(\.line) == [2, 3])
    #expect(reader.recentBad[0].description == "\(path):2: not valid UTF-8")
    #expect(store.series("loss")?.steps == [1, 4])
  }

  @Test func pythonNonFiniteSpellingsAreKept() throws {
    let dir = TempDir()
    dir.write(
      "m.jsonl",
      "{\"step\":1,\"loss\":NaN,\"a\":Infinity,\"b\":-Infinity,\"time\":NaN}\n"
        + "{\"step\":2,\"loss\":nan}\n{\"step\":3,\"loss\":inf}\n")
    let reader = TailReader(path: dir.file("m.jsonl"))
    var store = SeriesStore()
    let poll = try reader.poll(into: &store)
    #expect(poll.records == 1 && poll.badLines == 2)
    #expect(store.series("loss")?.values.first?.isNaN == true)
    #expect(store.series("a")?.values == [.infinity])
    #expect(store.series("b")?.values == [-.infinity])
  }

  @Test func oneLineFileWithoutNewlineWaitsThenFinishes() throws {
    let dir = TempDir()
    dir.write("m.jsonl", "{\"step\":7,\"loss\":0.125}")
    let reader = TailReader(path: dir.file("m.jsonl"))
    let (records, poll) = try reader.pollRecords()
    #expect(records.isEmpty && poll.records == 0)
    var finished: [MetricRecord] = []
    _ = reader.finish { finished.append($0) }
    #expect(finished == [MetricRecord(step: 7, values: [("loss", 0.125)])])
    dir.append("m.jsonl", "\n")
    let again = TailReader(path: dir.file("m.jsonl"))
    #expect(try again.pollRecords().records == finished)
  }

  @Test func emptyFileHasNoRecordsAndNoErrors() throws {
    let dir = TempDir()
    dir.write("m.jsonl", "")
    let reader = TailReader(path: dir.file("m.jsonl"))
    var store = SeriesStore()
    let poll = try reader.poll(into: &store)
    #expect(poll == TailReader.Poll())
    #expect(store.recordCount == 0 && reader.lineCount == 0)
  }

  @Test func missingFileThrowsMissingAndLaterAppears() throws {
    let dir = TempDir()
    let reader = TailReader(path: dir.file("m.jsonl"))
    var store = SeriesStore()
    #expect(throws: RunLogError(.missing(path: dir.file("m.jsonl")))) {
      try reader.poll(into: &store)
    }
    dir.write("m.jsonl", line(1, loss: 1))
    #expect(try reader.poll(into: &store).records == 1)
  }

  @Test func aDirectoryInPlaceOfTheMetricsFileIsAClearError() throws {
    let dir = TempDir()
    try FileManager.default.createDirectory(
      atPath: dir.file("m.jsonl"), withIntermediateDirectories: false)
    let reader = TailReader(path: dir.file("m.jsonl"))
    var store = SeriesStore()
    do {
      try reader.poll(into: &store)
      Issue.record("expected an error")
    } catch {
      #expect(
        error.description
          == "\(dir.file("m.jsonl")): not a run: is a directory, expected a metrics file")
    }
  }

  @Test func crlfLineEndingsReadLikeLF() throws {
    let dir = TempDir()
    dir.write("m.jsonl", "{\"step\":1,\"loss\":0.5}\r\n\r\n{\"step\":2,\"loss\":0.25}\r\n")
    let reader = TailReader(path: dir.file("m.jsonl"))
    let (records, poll) = try reader.pollRecords()
    #expect(poll.badLines == 0)
    #expect(records.map(\.step) == [1, 2])
    #expect(reader.blankCount == 1 && reader.lineCount == 3)
  }

  @Test func hugeLineIsCountedBadWithoutBufferingItAndReadingGoesOn() throws {
    let dir = TempDir()
    dir.write("m.jsonl", line(1, loss: 1) + "{\"step\":2,\"pad\":\"")
    let reader = TailReader(path: dir.file("m.jsonl"))
    reader.maxLineBytes = 1000
    var store = SeriesStore()
    try reader.poll(into: &store)
    for _ in 0..<10 {
      dir.append("m.jsonl", String(repeating: "x", count: 700))
      try reader.poll(into: &store)
      #expect(reader.carry.count <= 1000)
    }
    dir.append("m.jsonl", "\"}\n" + line(3, loss: 3))
    let poll = try reader.poll(into: &store)
    #expect(poll.badLines == 1 && poll.records == 1)
    #expect(reader.recentBad.last?.reason == "line longer than 1000 bytes")
    #expect(reader.recentBad.last?.line == 2)
    #expect(store.series("loss")?.steps == [1, 3])
  }

  @Test func unknownKeysAndNonNumericValuesAreIgnoredWrongTypesAreBad() throws {
    let text = """
      {"step":1,"loss":0.5,"note":"hi","cfg":{"a":[1,{"b":null}]},"flag":true,"gone":null}
      {"step":"2","loss":0.5}
      {"step":2.5,"loss":0.5}
      {"step":3,"split":"test","loss":0.5}
      {"step":4,"time":"now","loss":0.5}
      {"loss":0.5}
      [1,2]
      {"step":5,"loss":+1}
      {"step":6,"loss":0.5,}
      {"step":7,"loss":0.5} trailing

      """
    let reader = TailReader(path: "m")
    var records: [MetricRecord] = []
    _ = Array(text.utf8).withUnsafeBytes { reader.feed($0) { records.append($0) } }
    #expect(records == [MetricRecord(step: 1, values: [("loss", 0.5)])])
    #expect(
      reader.recentBad.map(\.reason) == [
        "field \"step\" is not a number", "field \"step\" is not an integer",
        "field \"split\" must be \"train\" or \"eval\"", "field \"time\" is not a number",
        "missing field \"step\"", "expected a JSON object", "bad value at byte 18",
        "expected a quoted key at byte 22", "trailing bytes after the object",
      ])
    #expect(reader.recentBad.map(\.line) == Array(2...10))
  }
}

/// A bad line of one of several kinds (never blank, never a newline inside).
private func garbage(_ rng: inout SplitMix64) -> String {
  let kinds = [
    "not json at all", "{\"step\":1,\"loss\":", "{\"loss\":0.5}", "{\"step\":\"x\"}",
    "{\"step\":1,\"loss\":0.5}}", "{\"step\":1,\"loss\":1.}", "\u{1B}[31m{",
    "{\"step\":1,\"a\":--1}",
  ]
  let k = Int(rng.next() % UInt64(kinds.count + 1))
  if k < kinds.count { return kinds[k] }
  // Random printable bytes starting with a brace.
  let n = Int(rng.next() % 40) + 1
  return "{" + String((0..<n).map { _ in Character(UnicodeScalar(UInt8(33 + rng.next() % 90))) })
}

@Suite struct HostileKeyTests {
  // (How fast is a benchmark's question, not this test's: no clock here.)
  @Test func aNewKeyOnEveryLineIsCappedAndEveryRecordKept() throws {
    var text = ""
    let n = MetricLineParser.maxKeys + 500
    for i in 0..<n { text += "{\"step\":\(i),\"k\(i)\":1}\n" }
    let reader = TailReader(path: "m")
    var store = SeriesStore()
    _ = Array(text.utf8).withUnsafeBytes { raw in reader.feed(raw) { store.append($0) } }
    #expect(store.keys(.train).count == MetricLineParser.maxKeys)
    // Past the cap only the new keys are dropped: every record is kept, and
    // the dropping is reported once.
    #expect(reader.badCount == 0)
    #expect(store.recordCount == n)
    #expect(reader.recentBad.count == 1)
    #expect(reader.recentBad.last?.reason.hasPrefix(TailReader.droppedKeysNote) == true)
  }
}

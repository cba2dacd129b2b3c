import Foundation
import Testing

@testable import RunLog

/// Parses `bytes` whole (then finishes) and returns (tag, step, value) triples.
private func parse(_ bytes: [UInt8], finish: Bool = true) -> (
  points: [(tag: String, step: Int, value: Double)], parser: TFEventsParser
) {
  let parser = TFEventsParser(path: "test.tfevents")
  var points: [(String, Int, Double)] = []
  let sink = { (p: TFScalarPoint) in points.append((parser.tags[p.tag], p.step, p.value)) }
  bytes.withUnsafeBytes { _ = parser.feed($0, sink) }
  if finish { parser.finish(sink) }
  return (points.map { (tag: $0.0, step: $0.1, value: $0.2) }, parser)
}

@Suite struct CRC32CTests {
  @Test func knownVector() {
    #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    #expect(CRC32C.checksum([]) == 0)
  }

  @Test func sliceBy8MatchesBitwiseOnEveryLengthAndAlignment() {
    var rng = SystemRandomNumberGenerator()
    let data = (0..<300).map { _ in UInt8.random(in: 0...255, using: &rng) }
    for start in 0..<9 {
      for n in stride(from: 0, to: 290, by: 7) {
        let slice = Array(data[start..<start + n])
        #expect(CRC32C.checksum(slice) == TB.crc32c(slice))
      }
    }
  }

  @Test func maskMatchesTensorFlowDefinition() {
    // masked = ((crc >> 15) | (crc << 17)) + 0xa282ead8, computed by hand for crc = 1.
    #expect(CRC32C.masked(1) == 0x0002_0000 &+ 0xA282_EAD8)
  }
}

@Suite struct TFEventsParserTests {
  @Test func readsSimpleValuesInOrder() {
    let bytes = TB.file([
      (1, [TB.simple("train/loss", 0.5), TB.simple("train/rewards/chosen", -0.25)]),
      (2, [TB.simple("train/loss", 0.25)]),
    ])
    let (points, parser) = parse(bytes)
    #expect(points.map(\.tag) == ["train/loss", "train/rewards/chosen", "train/loss"])
    #expect(points.map(\.step) == [1, 1, 2])
    #expect(points.map(\.value) == [0.5, -0.25, 0.25])
    #expect(parser.recordCount == 3)
    #expect(parser.badCount == 0)
    #expect(parser.fileVersion == "brain.Event:2")
  }

  @Test func readsRankZeroTensorsInEveryEncoding() {
    let forms: [TB.TensorForm] = [
      .floatVal, .floatPacked, .floatContent, .doubleVal, .doublePacked, .doubleContent,
    ]
    let bytes = TB.file(
      forms.enumerated().map { i, f in (i, [TB.tensorValue("t", TB.tensor(0.375 + Double(i), f))]) }
    )
    let (points, parser) = parse(bytes)
    #expect(points.map(\.value) == [0.375, 1.375, 2.375, 3.375, 4.375, 5.375])
    #expect(parser.badCount == 0)
  }

  @Test func skipsTensorsThatAreNotOneNumber() {
    let vector = TB.tensor(1, .floatVal, shape: [3])
    let bytes = TB.file([(1, [TB.tensorValue("v", vector), TB.simple("s", 2)])])
    let (points, parser) = parse(bytes)
    #expect(points.map(\.tag) == ["s"])
    #expect(parser.badCount == 0)
  }

  @Test func keepsNaNAndInfinity() {
    let bytes = TB.file([(1, [TB.simple("loss", .nan)]), (2, [TB.simple("loss", -.infinity)])])
    let (points, _) = parse(bytes)
    #expect(points.count == 2)
    #expect(points[0].value.isNaN)
    #expect(points[1].value == -.infinity)
  }

  @Test func skipsUnknownFieldsOfEveryWireType() {
    // Unknown fields in Event: varint, fixed64, bytes, fixed32, and a group with nested fields.
    let group = PB.key(20, 3) + PB.varintField(1, 7) + PB.stringField(2, "x") + PB.key(20, 4)
    let extra =
      PB.varintField(15, 300) + PB.doubleField(16, 1.5) + PB.stringField(17, "?")
      + PB.floatField(18, 2) + group
    let value = PB.varintField(30, 1) + TB.simple("a", 3) + PB.stringField(31, "skip")
    let payload = TB.event(step: 9, wall: 5, [value], extra: extra)
    let (points, parser) = parse(TB.frame(payload))
    #expect(points.map(\.tag) == ["a"])
    #expect(points.map(\.step) == [9])
    #expect(points.map(\.value) == [3])
    #expect(parser.badCount == 0)
  }

  @Test func negativeStepsDecodeAsTwosComplement() {
    let (points, _) = parse(TB.file([(-3, [TB.simple("a", 1)])]))
    #expect(points.map(\.step) == [-3])
  }

  @Test func corruptPayloadChecksumIsReportedWithOffsetAndReadingResumes() {
    let first = TB.frame(TB.fileVersion(wall: 1))
    let second = TB.frame(TB.event(step: 1, wall: 1, [TB.simple("a", 1)]))
    let third = TB.frame(TB.event(step: 2, wall: 2, [TB.simple("a", 2)]))
    var broken = second
    broken[14] ^= 0xFF  // inside the payload
    let (points, parser) = parse(first + broken + third)
    #expect(points.map(\.step) == [2])
    #expect(parser.badCount == 1)
    let reason = parser.recentBad.first?.reason ?? ""
    #expect(reason.contains("byte offset \(first.count)"))
    #expect(reason.contains("payload checksum"))
  }

  @Test func corruptLengthChecksumResyncsAtNextRecord() {
    let a = TB.frame(TB.event(step: 1, wall: 1, [TB.simple("a", 1)]))
    let b = TB.frame(TB.event(step: 2, wall: 2, [TB.simple("a", 2)]))
    var broken = a
    broken[8] ^= 0x01  // length CRC
    let garbage: [UInt8] = Array(repeating: 0xAB, count: 37)
    let (points, parser) = parse(broken + garbage + b)
    #expect(points.map(\.step) == [2])
    #expect(parser.badCount == 1)
    #expect(parser.recentBad.first?.reason.contains("byte offset 0: bad length checksum") == true)
  }

  @Test func absurdLengthIsBadNotBuffered() {
    var header = PB.fixed64(UInt64(1) << 40)
    header += PB.fixed32(TB.maskedCRC(header))
    let b = TB.frame(TB.event(step: 2, wall: 2, [TB.simple("a", 2)]))
    let (points, parser) = parse(header + b)
    #expect(points.map(\.step) == [2])
    #expect(parser.badCount == 1)
    #expect(parser.recentBad.first?.reason.contains("exceeds") == true)
  }

  @Test func validFrameWithGarbagePayloadIsBadEvent() {
    let bytes =
      TB.frame([0xFF, 0xFF, 0xFF]) + TB.frame(TB.event(step: 3, wall: 0, [TB.simple("a", 1)]))
    let (points, parser) = parse(bytes)
    #expect(points.map(\.step) == [3])
    #expect(parser.badCount == 1)
    #expect(parser.recentBad.first?.reason.contains("not a valid Event") == true)
  }

  @Test func truncatedRecordWaitsThenIsReportedAtEnd() {
    let a = TB.frame(TB.event(step: 1, wall: 1, [TB.simple("a", 1)]))
    let b = TB.frame(TB.event(step: 2, wall: 2, [TB.simple("a", 2)]))
    let cut = a + b.prefix(b.count - 3)
    let (waiting, p1) = parse(Array(cut), finish: false)
    #expect(waiting.map(\.step) == [1])
    #expect(p1.badCount == 0)
    #expect(p1.consumedOffset == Int64(a.count))
    let (done, p2) = parse(Array(cut), finish: true)
    #expect(done.map(\.step) == [1])
    #expect(p2.badCount == 1)
    #expect(p2.recentBad.first?.reason.contains("byte offset \(a.count): truncated") == true)
  }

  @Test func everyChunkingGivesTheSameResult() {
    var bytes = TB.file((0..<6).map { (i: Int) in (i, [TB.simple("x", Float(i))]) })
    bytes[30] ^= 0x55  // one bad record in the middle
    let (whole, wp) = parse(bytes)
    for split in 0...bytes.count {
      let parser = TFEventsParser(path: "t")
      var got: [Int] = []
      bytes.withUnsafeBytes { raw in
        parser.feed(UnsafeRawBufferPointer(rebasing: raw[0..<split])) { got.append($0.step) }
        parser.feed(UnsafeRawBufferPointer(rebasing: raw[split...])) { got.append($0.step) }
      }
      parser.finish { got.append($0.step) }
      #expect(got == whole.map(\.step), "split at \(split)")
      #expect(parser.badCount == wp.badCount, "split at \(split)")
    }
  }

  @Test func textSummaryAndHParamsAreKept() {
    let text =
      PB.varintField(1, 7) + PB.bytesField(8, Array("{\"beta\": 0.3}".utf8))
    let textValue =
      PB.stringField(1, "args/text_summary")
      + PB.bytesField(9, PB.bytesField(1, PB.stringField(1, "text"))) + PB.bytesField(8, text)
    let number = PB.bytesField(2, PB.doubleField(2, 0.3))
    let str = PB.bytesField(2, PB.stringField(3, "ipo"))
    let entries =
      PB.bytesField(1, PB.stringField(1, "beta") + number)
      + PB.bytesField(1, PB.stringField(1, "loss_type") + str)
    let content = PB.varintField(1, 0) + PB.bytesField(3, entries)
    let meta = PB.bytesField(1, PB.stringField(1, "hparams") + PB.bytesField(2, content))
    let hp = PB.stringField(1, "_hparams_/session_start_info") + PB.bytesField(9, meta)
    let (points, parser) = parse(TB.file([(0, [textValue]), (0, [hp])]))
    #expect(points.isEmpty)
    #expect(parser.texts["args/text_summary"] == "{\"beta\": 0.3}")
    #expect(parser.hparams["beta"] == .number(0.3))
    #expect(parser.hparams["loss_type"] == .string("ipo"))
  }

  @Test func tagsMapToSplitsAndKeys() {
    #expect(ImportedNames.fromTag("train/rewards/chosen") == (.train, "rewards/chosen"))
    #expect(ImportedNames.fromTag("eval/rewards/margins") == (.eval, "rewards/margins"))
    #expect(ImportedNames.fromTag("train/learning_rate") == (.train, "lr"))
    #expect(ImportedNames.fromTag("loss") == (.train, "loss"))
    #expect(ImportedNames.fromFlatKey("eval_logps/chosen") == (.eval, "logps/chosen"))
  }
}

import Foundation
import Testing

@testable import RunLog

/// The framers read large chunks in place (only a record cut by a chunk's
/// end is copied, finished from a prefix of the next chunk). The fuzz
/// harnesses feed small inputs in small chunks, so these feed files of
/// hundreds of KB in chunks of 64 KiB and more, with a corrupt region in the
/// middle, and check that every split reads exactly as the whole file does.
@Suite struct LargeChunkFramingTests {
  /// Chunk sizes around the framers' prefix lengths (64 KiB, one W&B block + header).
  static let splits: [[Int]] = [
    [65_536], [65_537, 3], [70_001], [32_775, 32_768], [131_072, 1, 65_535], [100_003, 17],
  ]

  @Test func eventFileReadsTheSameInLargeChunks() {
    var bytes = TB.file(
      (0..<12_000).map { i in
        let tag = ["train/loss", "train/rewards/chosen", "eval/loss"][i % 3]
        // Every 1000th event has two values (the general decoder's path).
        let values = [TB.simple(tag, Float(i) * 0.5)] + (i % 1000 == 0 ? [TB.simple("x", 1)] : [])
        return (step: i / 3, values: values)
      })
    #expect(bytes.count > 300_000)
    bytes[bytes.count / 2] ^= 0x5A
    bytes[bytes.count / 3 + 7] ^= 0x01

    let whole = TFEventsParser(path: "whole")
    var expected: [TFScalarPoint] = []
    bytes.withUnsafeBytes { _ = whole.feed($0) { expected.append($0) } }
    whole.finish { expected.append($0) }
    #expect(whole.badCount == 2)
    #expect(expected.count > 11_000)

    for sizes in Self.splits {
      let chunked = TFEventsParser(path: "whole")
      var got: [TFScalarPoint] = []
      var offset = 0
      var n = 0
      while offset < bytes.count {
        let size = min(sizes[n % sizes.count], bytes.count - offset)
        n += 1
        bytes.withUnsafeBytes { raw in
          _ = chunked.feed(UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + size)])) {
            got.append($0)
          }
        }
        offset += size
        #expect(chunked.consumedOffset <= Int64(offset))
      }
      chunked.finish { got.append($0) }
      #expect(got == expected, "split \(sizes)")
      #expect(chunked.tags == whole.tags)
      #expect(chunked.recordCount == whole.recordCount)
      #expect(chunked.recentBad == whole.recentBad, "split \(sizes)")
      #expect(chunked.consumedOffset == Int64(bytes.count))
    }
  }

  @Test func wandbLogReadsTheSameInLargeChunks() {
    var e = WandbLogEncoder()
    e.appendRun(id: "r", name: "n")
    for row in 0..<4000 {
      let items = [
        ("train/loss", "\(Double(row) * 0.25)"), ("eval/loss", "\(row % 7)"),
        ("train/global_step", "\(row + 1)"), ("_step", "\(row)"),
        ("_timestamp", "\(1_700_000_000 + row)"),
      ]
      e.appendHistory(step: row, items: items)
      e.appendSummary(items)
    }
    var bytes = e.bytes
    #expect(bytes.count > 300_000)
    bytes[bytes.count / 2] ^= 0x5A

    let whole = WandbParser(path: "whole")
    var expected: [WandbRow] = []
    bytes.withUnsafeBytes { _ = whole.feed($0) { expected.append($0) } }
    whole.finish { expected.append($0) }
    #expect(whole.badCount == 1)
    #expect(expected.count > 3_800)  // the corrupt block's rows are lost
    #expect(whole.summary["train/loss"] == 999.75)

    for sizes in Self.splits {
      let chunked = WandbParser(path: "whole")
      var got: [WandbRow] = []
      var offset = 0
      var n = 0
      while offset < bytes.count {
        let size = min(sizes[n % sizes.count], bytes.count - offset)
        n += 1
        bytes.withUnsafeBytes { raw in
          _ = chunked.feed(UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + size)])) {
            got.append($0)
          }
        }
        offset += size
      }
      chunked.finish { got.append($0) }
      #expect(got == expected, "split \(sizes)")
      #expect(chunked.keys == whole.keys)
      #expect(chunked.summary == whole.summary)
      #expect(chunked.recordCount == whole.recordCount)
      #expect(chunked.recentBad == whole.recentBad, "split \(sizes)")
      #expect(chunked.consumedOffset == Int64(bytes.count))
    }
  }
}

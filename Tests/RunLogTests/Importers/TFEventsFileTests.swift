import Foundation
import Testing

@testable import RunLog

@Suite struct TFEventsFileTests {
  @Test func growingFileIsTailedFromItsOffset() throws {
    let dir = Fixture.tempDir()
    let path = dir + "/events.out.tfevents.1000.host"
    let bytes = TB.file((1...4).map { (i: Int) in (i, [TB.simple("train/loss", Float(i))]) })
    // Write the file in three uneven pieces, polling between them.
    let cuts = [0, 27, 70, bytes.count]
    Fixture.write(path, [])
    let reader = TFEventsFileReader(path: path)
    var store = SeriesStore()
    var seen: [[Int]] = []
    for k in 1..<cuts.count {
      Fixture.append(path, Array(bytes[cuts[k - 1]..<cuts[k]]))
      let poll = try reader.poll(into: &store)
      #expect(!poll.reset)
      #expect(reader.offset == Int64(cuts[k]))
      seen.append(store.series("loss")?.steps ?? [])
    }
    #expect(seen.last == [1, 2, 3, 4])
    // What was delivered only ever grew.
    for (a, b) in zip(seen, seen.dropFirst()) { #expect(Array(b.prefix(a.count)) == a) }
    #expect(store.series("loss")?.values == [1, 2, 3, 4])
    #expect(reader.parser.badCount == 0)
    // Nothing new: nothing read.
    let idle = try reader.poll(into: &store)
    #expect(idle.records == 0)
  }

  @Test func replacedFileStartsOver() throws {
    let dir = Fixture.tempDir()
    let path = dir + "/events.out.tfevents.1000.host"
    Fixture.write(path, TB.file([(1, [TB.simple("loss", 1)]), (2, [TB.simple("loss", 2)])]))
    let reader = TFEventsFileReader(path: path)
    var store = SeriesStore()
    try reader.poll(into: &store)
    #expect(store.series("loss")?.count == 2)
    try FileManager.default.removeItem(atPath: path)
    Fixture.write(path, TB.file([(7, [TB.simple("loss", 9)])]))
    let poll = try reader.poll(into: &store)
    #expect(poll.reset)
    #expect(store.series("loss")?.steps == [7])
    #expect(store.series("loss")?.values == [9])
  }

  @Test func realTensorBoardWriterFileWithSimpleValues() throws {
    let files = TRLRunSource.eventFiles(in: Fixture.path("trl-run"))
    #expect(files.count == 2)
    let main = try #require(files.first { !$0.contains("1764000000.5") })
    let reader = TFEventsFileReader(path: main)
    var store = SeriesStore()
    try reader.poll(into: &store)
    #expect(reader.parser.badCount == 0)
    let chosen = try #require(store.series("rewards/chosen"))
    #expect(chosen.steps == Array(1...8))
    let expected: [Double] = (1...8).map { (s: Int) -> Double in
      Double(Float(0.1 * (-0.05 * Double(s))))
    }
    #expect(chosen.values == expected)
    #expect(store.series("lr")?.values.last == Double(Float(5e-7 * 8)))
    let evalLoss = try #require(store.series("loss", .eval))
    #expect(evalLoss.steps == [4, 8])
    let expectedEval: [Double] = [4, 8].map { (s: Double) -> Double in
      Double(Float((0.6931 - 0.02 * s) * 1.1))
    }
    #expect(evalLoss.values == expectedEval)
    #expect(store.times(.train).last == 1_764_000_008)
    #expect(
      store.keys(.train) == [
        "loss", "grad_norm", "lr", "rewards/chosen", "rewards/rejected", "rewards/accuracies",
        "rewards/margins", "logps/chosen", "logps/rejected", "logits/chosen", "logits/rejected",
        "epoch",
      ])
    #expect(
      store.keys(.eval) == ["loss", "rewards/chosen", "rewards/margins", "rewards/accuracies"])
    #expect(store.recordCount == 8 + 2)  // one per step and split
    let args = try #require(reader.parser.texts["args/text_summary"])
    #expect(args.contains("\"beta\": 0.1"))
  }

  @Test func realTensorBoardWriterFileWithTensorScalarsAndNaN() throws {
    let path = try #require(TRLRunSource.eventFiles(in: Fixture.path("tb-tensors")).first)
    let reader = TFEventsFileReader(path: path)
    var store = SeriesStore()
    try reader.poll(into: &store)
    #expect(reader.parser.badCount == 0)
    let loss = try #require(store.series("loss"))
    #expect(loss.steps == [0, 1, 2, 3, 4, 5, 6])
    let expected: [Double] = (0..<5).map { (s: Int) -> Double in Double(Float(1.0 / Double(s + 1)))
    }
    #expect(Array(loss.values.prefix(5)) == expected)
    #expect(loss.values[5].isNaN)
    #expect(loss.values[6] == .infinity)
    let lr: [Double] = (0..<5).map { (s: Int) -> Double in 1e-4 * Double(s) }
    #expect(store.series("lr64")?.values == lr)
    #expect(store.series("content32")?.values == [0, 0.25, 0.5, 0.75, 1.0])
    #expect(store.series("content64")?.values == [0, -0.5, -1.0, -1.5, -2.0])
  }

  @Test func realHParamsFile() throws {
    let files = TRLRunSource.eventFiles(in: Fixture.path("trl-run"))
    let hp = try #require(files.first { $0.contains("1764000000.5") })
    let reader = TFEventsFileReader(path: hp)
    var store = SeriesStore()
    try reader.poll(into: &store)
    #expect(reader.parser.hparams["beta"] == .number(0.1))
    #expect(reader.parser.hparams["loss_type"] == .string("sigmoid"))
    #expect(reader.parser.hparams["max_steps"] == .number(8))
  }
}

import Foundation
import Testing

@testable import RunLog

@Suite struct TrainerStateTests {
  @Test func realShapedFixtureGivesTrainAndEvalRecords() throws {
    let path = Fixture.path("trl-run/checkpoint-8/trainer_state.json")
    let data = try #require(FileManager.default.contents(atPath: path))
    let state = try TrainerState.parse([UInt8](data))
    #expect(state.maxSteps == 8)
    #expect(state.globalStep == 8)
    #expect(state.trainBatchSize == 4)
    let train = state.records.filter { $0.split == .train }
    let eval = state.records.filter { $0.split == .eval }
    #expect(train.count == 9)  // 8 steps + the end-of-training summary entry
    #expect(eval.map(\.step) == [4, 8])
    #expect(train[2]["rewards/chosen"] == -0.015)
    #expect(train[2]["lr"] == 2e-6)  // round(1.5e-6, 6): the fixture rounds train values
    #expect(train[2]["epoch"] == 0.375)
    #expect(eval[0]["loss"] == (0.6931 - 0.08) * 1.1)
    #expect(eval[0]["rewards/margins"] == 0.1 * (-0.05 * 4 + 0.3 * 4) * 1.1)
    #expect(eval[0]["epoch"] == 0.5)
    #expect(eval[0]["eval_loss"] == nil)
    #expect(state.problems.isEmpty)
  }

  @Test func pythonNaNAndInfinityAreValues() throws {
    let text = """
      {"global_step": 2, "max_steps": 0, "log_history": [
        {"loss": NaN, "grad_norm": Infinity, "step": 1},
        {"eval_loss": -Infinity, "epoch": 0.5, "step": 2},
        {"note": "no step"}, 3
      ]}
      """
    let state = try TrainerState.parse(Array(text.utf8))
    #expect(state.maxSteps == nil)
    #expect(state.records.count == 2)
    #expect(state.records[0]["loss"]?.isNaN == true)
    #expect(state.records[0]["grad_norm"] == .infinity)
    #expect(state.records[1].split == .eval)
    #expect(state.records[1]["loss"] == -.infinity)
    #expect(state.problems.map(\.entry) == [3, 4])
  }

  @Test func invalidJSONNamesLineAndColumn() {
    #expect(throws: LenientJSON.ParseError(line: 2, column: 16, reason: "expected ':'")) {
      try TrainerState.parse(Array("{\"a\": 1,\n \"log_history\" [] }".utf8))
    }
  }

  @Test func rewrittenFileAppendsOnlyNewEntriesAndRebuildsOnRewind() throws {
    let dir = Fixture.tempDir()
    let path = dir + "/trainer_state.json"
    func write(_ steps: [Int], loss: Double = 1) {
      let entries = steps.map { "{\"loss\": \(loss * Double($0)), \"step\": \($0)}" }
      let text = "{\"log_history\": [\(entries.joined(separator: ","))], \"max_steps\": 9}"
      Fixture.write(path, Array(text.utf8))
    }
    write([1, 2])
    let reader = TrainerStateReader(path: path)
    var store = SeriesStore()
    var poll = try reader.poll(into: &store)
    #expect(poll.records == 2)
    poll = try reader.poll(into: &store)
    #expect(poll.records == 0)  // unchanged file: not re-read
    write([1, 2, 3, 4])
    poll = try reader.poll(into: &store)
    #expect(poll.records == 2)
    #expect(!poll.reset)
    #expect(store.series("loss")?.steps == [1, 2, 3, 4])
    #expect(store.recordCount == 4)
    write([1, 2], loss: 5)  // a different history: rebuild
    poll = try reader.poll(into: &store)
    #expect(poll.reset)
    #expect(store.series("loss")?.values == [5, 10])
    // Caught half-written: reported, what was read stays.
    Fixture.write(path, Array("{\"log_history\": [{\"loss\": 1,".utf8))
    poll = try reader.poll(into: &store)
    #expect(poll.badLines == 1)
    #expect(store.series("loss")?.values == [5, 10])
    #expect(reader.recentBad.last?.path == path)
  }
}

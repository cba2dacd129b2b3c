import Foundation
import Testing

@testable import RunLog

@Suite struct SeriesStoreTests {
  private func store(_ text: String) -> SeriesStore {
    let dir = TempDir()
    dir.write("m.jsonl", text)
    var store = SeriesStore()
    _ = try? TailReader(path: dir.file("m.jsonl")).poll(into: &store)
    return store
  }

  @Test func resumedRunSupersedesTheOldTailOfEverySeries() {
    // Killed after step 4 (checkpoint at 2), resumed: steps 3 and 4 are logged again.
    let s = store(
      """
      {"step":1,"loss":1.0,"grad_norm":9}
      {"step":2,"loss":0.9,"grad_norm":8}
      {"step":2,"split":"eval","eval_loss":1.5}
      {"step":3,"loss":0.8,"grad_norm":7}
      {"step":4,"loss":0.7,"grad_norm":6}
      {"step":4,"split":"eval","eval_loss":1.4}
      {"step":3,"loss":0.85}
      {"step":4,"loss":0.75}
      {"step":5,"loss":0.65,"grad_norm":5}

      """)
    #expect(s.series("loss")?.steps == [1, 2, 3, 4, 5])
    #expect(s.series("loss")?.values == [1.0, 0.9, 0.85, 0.75, 0.65])
    // The resumed run did not log grad_norm at 3 and 4: the dead run's values are gone too.
    #expect(s.series("grad_norm")?.steps == [1, 2, 5])
    // Eval after the resume point belonged to the dead run; eval at it stays.
    #expect(s.series("eval_loss", .eval)?.steps == [2])
    #expect(s.recordCount == 9)
  }

  @Test func recordsAtTheSameStepOnlyReplaceTheirOwnKeys() {
    let s = store(
      """
      {"step":10,"loss":1.0,"lr":0.1}
      {"step":10,"epoch":0.5}
      {"step":10,"loss":0.9}
      {"step":10,"split":"eval","eval_loss":2}

      """)
    #expect(s.series("loss")?.values == [0.9])
    #expect(s.series("lr")?.values == [0.1])
    #expect(s.series("epoch")?.values == [0.5])
    #expect(s.series("eval_loss", .eval)?.steps == [10])
    #expect(s.keys(.train) == ["loss", "lr", "epoch"])
  }

  @Test func duplicateKeyInOneLineKeepsTheLastValue() {
    let s = store("{\"step\":1,\"loss\":1,\"loss\":2}\n")
    #expect(s.series("loss")?.values == [2])
  }

  @Test func recordAppendMatchesTheReaderPath() {
    let text = """
      {"step":1,"time":100.5,"loss":1.0}
      {"step":2,"time":101.0,"loss":0.95}
      {"step":2,"time":101.5,"loss":0.9,"split":"eval"}
      {"step":1,"time":102.5,"loss":0.8}

      """
    var byRecord = SeriesStore()
    let reader = TailReader(path: "m")
    _ = Array(text.utf8).withUnsafeBytes { reader.feed($0) { byRecord.append($0) } }
    let byReader = store(text)
    #expect(byRecord == byReader)
    #expect(byReader.times(.train).values == [102.5])
    #expect(byReader.times(.eval).steps == [])
  }

  @Test(arguments: [false, true])
  func parallelReadEqualsSequentialRead(resumeAcrossTheMiddle: Bool) throws {
    var text = ""
    var rng = SplitMix64(seed: 7)
    for step in 1...3000 {
      text += "{\"step\":\(step),\"loss\":\(Double(rng.next() % 1000) / 7),\"k\(step % 3)\":1}\n"
      if step % 100 == 0 { text += "{\"step\":\(step),\"split\":\"eval\",\"eval_loss\":\(step)}\n" }
      if step % 250 == 0 { text += "garbage \(step)\n" }
    }
    if resumeAcrossTheMiddle {
      // A resume far back, in the second half: it reaches into the first.
      for step in 200...400 { text += "{\"step\":\(step),\"loss\":-\(step)}\n" }
    }
    text += "{\"step\":9999,\"lo"
    let dir = TempDir()
    dir.write("m.jsonl", text)
    let sequential = TailReader(path: dir.file("m.jsonl"))
    var a = SeriesStore()
    let pa = try sequential.poll(into: &a)
    let parallel = TailReader(path: dir.file("m.jsonl"))
    parallel.parallelThreshold = 1000
    parallel.parallelism = .always
    var b = SeriesStore()
    let pb = try parallel.poll(into: &b)
    #expect(a == b)
    #expect(pa == pb)
    #expect(sequential.lineCount == parallel.lineCount)
    #expect(sequential.recentBad == parallel.recentBad)
    #expect(sequential.offset == parallel.offset && sequential.carry == parallel.carry)
    #expect(a.series("loss")?.count == (resumeAcrossTheMiddle ? 400 : 3000))
    // Both go on reading the same way.
    dir.append("m.jsonl", "ss\":1}\n")
    #expect(try sequential.poll(into: &a) == parallel.poll(into: &b))
    #expect(a == b && a.series("loss")?.lastStep == 9999)
  }

  @Test func decimationKeepsExtremesAndEnds() {
    var s = Series()
    for i in 0..<1000 { s.append(step: i, value: i == 500 ? 1e9 : Double(i % 10)) }
    s.append(step: 1000, value: .nan)
    let buckets = s.decimated(buckets: 10)
    #expect(buckets.count == 10)
    #expect(buckets.map(\.count).reduce(0, +) == 1001)
    #expect(buckets.contains { $0.max == 1e9 && $0.firstStep <= 500 && $0.lastStep >= 500 })
    #expect(buckets.first?.firstStep == 0 && buckets.last?.lastStep == 1000)
    #expect(buckets.last?.nonFinite == 1 && buckets.last?.last.isNaN == true)
    #expect(buckets.allSatisfy { $0.min == 0 && $0.max >= 9 })
  }
}

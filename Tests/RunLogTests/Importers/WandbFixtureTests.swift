import Foundation
import Testing

@testable import RunLog

/// The expected values of Fixtures/make_wandb_run.py (same formulas, same
/// floating-point operations, so the same doubles).
enum WandbFixture {
  static let steps = 120
  static let evalEvery = 25

  static func train(_ s: Int, _ n: Int = steps) -> [String: Double] {
    let d = Double(s)
    let chosen = 0.002 * d
    let rejected = -0.001 * d
    return [
      "loss": 0.6931 - 0.001 * d, "grad_norm": 1.0 / (1 + d),
      "lr": 5e-7 * (1 - d / Double(n)), "rewards/chosen": chosen, "rewards/rejected": rejected,
      "rewards/accuracies": min(1.0, 0.5 + 0.004 * d), "rewards/margins": chosen - rejected,
      "logps/chosen": -50 - 0.05 * d, "logps/rejected": -52 - 0.1 * d, "logits/chosen": -1.0,
      "logits/rejected": -1.25, "epoch": d / Double(n),
    ]
  }

  static func eval(_ s: Int) -> [String: Double] {
    let d = Double(s)
    return [
      "loss": 0.7 - 0.0005 * d, "rewards/chosen": 0.001 * d, "rewards/rejected": -0.0005 * d,
      "runtime": 0.5,
    ]
  }

  /// The committed run directory (written by wandb 0.31, offline).
  static var runDir: String { Fixture.path("wandb-run/wandb/offline-run-20261206_194437-dpotopfx") }
  static var file: String { runDir + "/run-dpotopfx.wandb" }

  /// Checks a store against the formulas for `steps` training steps (all of them logged).
  static func check(_ store: SeriesStore, steps n: Int = steps, finished: Bool = true) {
    for key in train(1, n).keys {
      let series = store.series(key, .train)
      #expect(series?.steps == Array(1...n), "\(key)")
      #expect(series?.values == (1...n).map { train($0, n)[key]! }, "\(key)")
    }
    let evalSteps = Array(stride(from: evalEvery, through: n, by: evalEvery))
    for key in eval(evalEvery).keys {
      #expect(store.series(key, .eval)?.steps == evalSteps, "eval \(key)")
      #expect(store.series(key, .eval)?.values == evalSteps.map { eval($0)[key]! }, "eval \(key)")
    }
    // The step is HF's train/global_step, never a chart of its own; W&B's own keys are not metrics.
    #expect(store.series("global_step", .train) == nil)
    #expect(store.keys(.train).allSatisfy { !$0.hasPrefix("_") })
    if finished {
      #expect(store.series("train_runtime", .train)?.steps == [n])
      #expect(store.series("train_runtime", .train)?.values == [12.5])
    }
  }
}

/// One record of a `.wandb` file as an independent walk of the fragments sees
/// it: the byte ranges of its fragments, and where its last one ends.
struct WalkedRecord {
  var fragments: [Range<Int>]
  var end: Int { fragments.last!.upperBound }
  var payload: [UInt8]
}

/// A deliberately plain walk of the LevelDB-log layout (no resync), to check the framer against.
func walkRecords(_ b: [UInt8]) -> [WalkedRecord] {
  var out: [WalkedRecord] = []
  var p = 7
  var current: WalkedRecord?
  while p + 7 <= b.count {
    let left = 32768 - p % 32768
    if left < 7 {
      p += left
      continue
    }
    let n = Int(b[p + 4]) | Int(b[p + 5]) << 8
    let type = b[p + 6]
    guard p + 7 + n <= b.count else { break }
    let range = p..<(p + 7 + n)
    let data = Array(b[(p + 7)..<(p + 7 + n)])
    if type == 1 || type == 2 {
      current = WalkedRecord(fragments: [range], payload: data)
    } else {
      current?.fragments.append(range)
      current?.payload += data
    }
    if type == 1 || type == 4, let c = current {
      out.append(c)
      current = nil
    }
    p += 7 + n
  }
  return out
}

/// Whether a record's payload is a history row.
func isHistory(_ payload: [UInt8]) -> Bool {
  var keys = ByteInterner()
  var row = WandbRow()
  var summary: [WandbRecordDecoder.SummaryChange] = []
  return payload.withUnsafeBytes {
    if case .history? = WandbRecordDecoder.decode($0, keys: &keys, row: &row, summary: &summary) {
      return true
    }
    return false
  }
}

/// Every row of `bytes` fed whole (and `finish`ed when asked).
func wandbRows(_ bytes: ArraySlice<UInt8>, finish: Bool = false) -> (WandbParser, [WandbRow]) {
  let parser = WandbParser(path: "test.wandb")
  var rows: [WandbRow] = []
  Array(bytes).withUnsafeBytes { _ = parser.feed($0) { rows.append($0) } }
  if finish { parser.finish { rows.append($0) } }
  return (parser, rows)
}

@Suite struct WandbFixtureTests {
  @Test func crc32IsIEEEAndMatchesABitwiseReference() {
    // The check value of CRC-32/ISO-HDLC (zlib's crc32), which W&B's fragments carry.
    #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    #expect(CRC32.checksum([]) == 0)
    var bytes: [UInt8] = []
    for i in 0..<300 {
      bytes.append(UInt8(truncatingIfNeeded: i &* 37 &+ 11))
      var c: UInt32 = 0xFFFF_FFFF
      for b in bytes {
        c ^= UInt32(b)
        for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
      }
      #expect(CRC32.checksum(bytes) == ~c, "length \(bytes.count)")
    }
  }

  @Test func trlShapedRunWrittenByWandbReadsEveryValue() throws {
    let source = WandbRunSource(path: WandbFixture.runDir)
    // The manifest is known before the first poll (the run and config records are read ahead).
    let early = try source.manifest()
    #expect(early.name == "trl-dpo-fixture")
    #expect(early.beta == 0.1)
    var store = SeriesStore()
    let poll = try source.poll(into: &store)
    #expect(source.badCount == 0)
    #expect(poll.records > 2 * WandbFixture.steps)
    WandbFixture.check(store)
    let m = try source.manifest()
    #expect(m.name == "trl-dpo-fixture")
    #expect(m.trainer == "wandb")
    #expect(m.beta == 0.1)
    #expect(m.objective == "dpo")  // loss_type ["sigmoid"]
    #expect(m.learningRate == 5e-7)
    #expect(m.plannedSteps == 120)
    #expect(m.batchSize == 4)
    #expect(m.seed == 42)
    #expect(m.status == .finished)  // the exit record, code 0
    // The derived chosen log-ratio, as for TensorBoard runs.
    let derived = try #require(store.series(ImportedNames.Derived.logRatioChosen, .train))
    #expect(derived.values == (1...120).map { WandbFixture.train($0)["rewards/chosen"]! / 0.1 })
    #expect(source.notes == [DerivedSeries.note(beta: 0.1)])
  }

  @Test func runInfoSummaryAndExitAreRead() throws {
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: WandbFixture.file)))
    let (parser, rows) = wandbRows(bytes[...])
    #expect(parser.runID == "dpotopfx")
    #expect(parser.displayName == "trl-dpo-fixture")
    #expect(parser.project == "dpotop-fixture")
    #expect(parser.exitCode == 0)
    // 120 train rows, 4 eval rows, the final row; W&B's step counts log calls.
    #expect(rows.count == 125)
    #expect(rows.map(\.step) == Array(0..<125))
    #expect(rows.map(\.loggedStep) == (0..<125).map { Optional($0) })
    #expect(rows.allSatisfy { ($0.time ?? 0) > 1.7e9 })
    #expect(parser.summary["train/loss"] == WandbFixture.train(120)["loss"])
    #expect(parser.summary["train/global_step"] == 120)
    #expect(parser.summary["eval/loss"] == WandbFixture.eval(100)["loss"])
    let beta = try #require(parser.config["beta"])
    #expect(String(decoding: beta, as: UTF8.self) == "0.1")
  }

  @Test func everyChunkingGivesTheSameRows() throws {
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: WandbFixture.file)))
    let (whole, expected) = wandbRows(bytes[...], finish: true)
    for seed in [1, 7, 32768, 99991] as [UInt64] {
      var state = seed
      let parser = WandbParser(path: "test.wandb")
      var got: [WandbRow] = []
      var at = 0
      while at < bytes.count {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let n = min(bytes.count - at, 1 + Int(state >> 33) % (seed == 1 ? 9 : 40000))
        let before = got.count
        bytes[at..<(at + n)].withUnsafeBytes { _ = parser.feed($0) { got.append($0) } }
        at += n
        if got.count != before { #expect(got == Array(expected.prefix(got.count))) }
      }
      parser.finish { got.append($0) }
      #expect(got == expected, "seed \(seed)")
      #expect(parser.recordCount == whole.recordCount)
      #expect(parser.badCount == 0)
      #expect(parser.keys == whole.keys)
    }
  }

  @Test func cutAtEveryOffsetOfTheLastBlockReadsEveryCompleteRecordAndNothingElse() throws {
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: WandbFixture.file)))
    let records = walkRecords(bytes)
    let (_, all) = wandbRows(bytes[...])
    let history = records.map { isHistory($0.payload) }
    #expect(history.filter { $0 }.count == all.count)
    #expect(bytes.count > 3 * 32768, "the fixture should span several blocks")
    let lastBlock = (bytes.count - 1) / 32768 * 32768
    // Every offset of the last block, and the end of the block before (where a
    // record is split across the boundary). The framer is a value: the state
    // after the common prefix is copied for each cut rather than rebuilt.
    let start = lastBlock - 2048
    #expect(records.contains { $0.fragments.count > 1 && $0.fragments[0].lowerBound > start })
    var prefix = LevelDBLogFramer()
    var prefixRecords = 0
    bytes[0..<start].withUnsafeBytes {
      prefix.feed($0, record: { _, _ in prefixRecords += 1 }, problem: { _ in })
    }
    for cut in start...bytes.count {
      var framer = prefix
      var got: [[UInt8]] = []
      var problems = 0
      bytes[start..<cut].withUnsafeBytes {
        framer.feed($0, record: { p, _ in got.append(Array(p)) }, problem: { _ in problems += 1 })
      }
      let complete = records.filter { $0.end <= cut }
      #expect(prefixRecords + got.count == complete.count, "cut at \(cut)")
      #expect(got == complete.suffix(got.count).map(\.payload), "cut at \(cut)")
      #expect(problems == 0, "a torn tail is not an error while the file may grow")
      // A complete file cut there: the torn record is reported, nothing invented.
      var more = 0
      framer.finish(record: { _, _ in more += 1 }, problem: { _ in problems += 1 })
      let torn = records.contains { $0.fragments[0].lowerBound < cut && $0.end > cut }
      #expect(more == 0 && problems == (torn ? 1 : 0), "cut at \(cut)")
      if prefixRecords + got.count != complete.count { break }
    }
    // And through the parser, at a few cuts: rows are exactly the complete history records.
    for cut in stride(from: start, through: bytes.count, by: 97) {
      let (parser, rows) = wandbRows(bytes[0..<cut])
      let n = zip(records, history).filter { $0.0.end <= cut && $0.1 }.count
      #expect(rows == Array(all.prefix(n)), "cut at \(cut)")
      #expect(parser.badCount == 0)
    }
  }

  @Test func corruptedBlockIsSkippedWithItsOffsetReported() throws {
    var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: WandbFixture.file)))
    let records = walkRecords(bytes)
    let (_, all) = wandbRows(bytes[...])
    // Corrupt one byte inside block 2, in the payload of the first fragment there.
    let block = 2 * 32768
    let victim = try #require(
      records.flatMap(\.fragments).first { $0.lowerBound >= block && $0.count > 20 })
    bytes[victim.lowerBound + 12] ^= 0x5A
    let (parser, rows) = wandbRows(bytes[...], finish: true)
    #expect(parser.badCount == 1)
    let report = try #require(parser.recentBad.first?.reason)
    #expect(report == "record at byte offset \(victim.lowerBound): bad fragment checksum")
    // Lost: the records with a fragment in the rest of that block. Everything else reads.
    let lostRange = victim.lowerBound..<(block + 32768)
    let kept = records.filter { r in
      isHistory(r.payload) && !r.fragments.contains { lostRange.overlaps($0) }
    }
    #expect(rows.count == kept.count)
    #expect(rows.count < all.count)
    #expect(rows.allSatisfy { all.contains($0) })
    #expect(rows.last == all.last)
  }

  @Test func growingFileIsTailedAndAReplacedOneStartsOver() throws {
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: WandbFixture.file)))
    let dir = Fixture.tempDir()
    let path = dir + "/run-x.wandb"
    Fixture.write(path, [])
    let reader = WandbFileReader(path: path)
    var store = SeriesStore()
    var last = 0
    for cut in stride(from: 0, to: bytes.count, by: 5000) + [bytes.count] where cut > last {
      Fixture.append(path, Array(bytes[last..<cut]))
      last = cut
      let poll = try reader.poll(into: &store)
      #expect(!poll.reset)
      #expect(reader.offset == Int64(cut))
    }
    WandbFixture.check(store)
    // Replaced by a shorter run: start over.
    var e = WandbLogEncoder()
    e.appendRun(id: "new", name: "other", config: [("beta", "0.5")])
    e.appendHistory(step: 0, items: [("train/loss", "1.5"), ("train/global_step", "3")])
    try FileManager.default.removeItem(atPath: path)
    Fixture.write(path, e.bytes)
    let poll = try reader.poll(into: &store)
    #expect(poll.reset)
    #expect(store.series("loss")?.steps == [3])
    #expect(store.series("loss")?.values == [1.5])
    #expect(reader.parser.displayName == "other")
  }

  /// Seen with real TRL runs (scripts/e2e-trl.sh --report-to wandb): wandb-core
  /// writes its first 32 KiB block only when it fills, so for the first seconds
  /// of a run its log holds no run record yet. The run is then named by its id,
  /// as docs/importers.md says, not by the whole `offline-run-<date>-<id>` name.
  @Test func aRunWhoseRunRecordIsNotWrittenYetIsNamedByItsID() throws {
    let run = Fixture.tempDir() + "/wandb/offline-run-20261206_210233-16oqq105"
    try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: true)
    Fixture.write(run + "/run-16oqq105.wandb", WandbLogEncoder().bytes)
    let source = WandbRunSource(path: run)
    #expect(try source.manifest().name == "16oqq105")
    var store = SeriesStore()
    try source.poll(into: &store)
    #expect(try source.manifest().name == "16oqq105")
    // Once the run record is there, W&B's display name.
    var e = WandbLogEncoder()
    e.appendRun(id: "16oqq105", name: "dpo-b0.1-s1", config: [("beta", "0.1")])
    Fixture.write(run + "/run-16oqq105.wandb", e.bytes)
    try source.poll(into: &store)
    #expect(try source.manifest().name == "dpo-b0.1-s1")
  }

  @Test func discoveryFindsOneRunPerRunDirectoryAndIgnoresLatestRun() throws {
    let dir = Fixture.tempDir()
    let wandb = dir + "/wandb"
    try FileManager.default.createDirectory(atPath: wandb, withIntermediateDirectories: true)
    let run = wandb + "/offline-run-20261206_194437-dpotopfx"
    try FileManager.default.copyItem(atPath: WandbFixture.runDir, toPath: run)
    try FileManager.default.createSymbolicLink(
      atPath: wandb + "/latest-run", withDestinationPath: "offline-run-20261206_194437-dpotopfx")
    for root in [dir, wandb] {
      let found = RunDiscovery.sources(under: root)
      #expect(found.map(\.id) == [run], "under \(root)")
      #expect(found.first is WandbRunSource)
    }
    // Given directly: the run directory, latest-run, or the .wandb file.
    #expect(RunDiscovery.source(at: wandb + "/latest-run") is WandbRunSource)
    #expect(RunDiscovery.source(at: run + "/run-dpotopfx.wandb")?.id == run)
    let (loaded, notes) = try LoadedRun.loadAny(run)
    #expect(loaded.manifest?.name == "trl-dpo-fixture")
    #expect(loaded.store.series("loss")?.count == 120)
    #expect(notes.count == 1)
  }
}

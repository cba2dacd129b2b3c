import Foundation
import Testing

@testable import RunLog

@Suite struct WriterManifestTests {
  @Test func writerAndTailReaderRoundTripEveryRecord() throws {
    let dir = TempDir()
    let writer = try MetricsWriter(path: dir.file("metrics.jsonl"))
    let reader = TailReader(path: dir.file("metrics.jsonl"))
    var rng = SplitMix64(seed: 5)
    var written: [MetricRecord] = []
    var read: [MetricRecord] = []
    for step in 0..<500 {
      let specials: [Double] = [.nan, .infinity, -.infinity, -0.0, 5e-324, 1.7976931348623157e308]
      let v = step % 50 == 0 ? specials[step / 50 % 6] : Double(bitPattern: rng.next() >> 2)
      let r = MetricRecord(
        step: step, time: 1_700_000_000 + Double(step) / 3, split: step % 10 == 0 ? .eval : .train,
        values: [(MetricKey.loss, v), ("rewards/\u{e9}\u{1B}", Double(step)), ("q\"\\", 0.1)])
      try writer.append(r)
      written.append(r)
      if step % 7 == 0 { read += try reader.pollRecords().records }
    }
    read += try reader.pollRecords().records
    #expect(read == written)
    #expect(reader.badCount == 0 && reader.lineCount == 500)
  }

  @Test func manifestWriteIsAtomicAndReadsBack() throws {
    let dir = TempDir()
    let run = RunDirectory(path: dir.file("run-1"))
    try run.create()
    var m = RunManifest(id: "r1", name: "dpop β=0.1", createdAt: 1_700_000_000.5, status: .running)
    m.objective = "dpop"
    m.beta = 0.1
    m.lambda = 50
    m.dataset = DatasetInfo(name: "math-low-edit", examples: 1000, meanEditDistance: 0.07)
    m.model = ModelInfo(layers: 2, dim: 64, heads: 4, context: 64, vocab: 32, parameters: 104_000)
    m.sweepAxes = ["beta": "0.1"]
    m.pid = 1234
    try run.writeManifest(m)
    #expect(try run.readManifest() == m)
    m.status = .finished
    try run.writeManifest(m)
    #expect(try run.readManifest().status == .finished)
    // Only the manifest is left: no temporary file from either write.
    #expect(try FileManager.default.contentsOfDirectory(atPath: run.path) == ["run.json"])
    let text = try String(contentsOfFile: run.manifestPath, encoding: .utf8)
    #expect(text.contains("\"format_version\" : 1") && text.contains("\"mean_edit_distance\""))
  }

  @Test func manifestDecodeErrorsNameTheField() {
    func reason(_ json: String) -> String {
      do {
        _ = try RunManifest.decode(Data(json.utf8), path: "r/run.json")
        return "decoded"
      } catch {
        return error.description
      }
    }
    let base =
      "\"format_version\":1,\"id\":\"a\",\"name\":\"n\",\"created_at\":1,\"trainer\":\"dpotop\""
    #expect(reason("{\(base),\"status\":\"running\"}") == "decoded")
    #expect(reason("{\(base)}").hasPrefix("r/run.json: bad manifest: missing field \"status\""))
    #expect(
      reason("{\(base),\"status\":\"running\",\"beta\":\"high\"}")
        .hasPrefix("r/run.json: bad manifest: field \"beta\""))
    #expect(
      reason("{\(base),\"status\":\"running\",\"model\":{\"layers\":2}}")
        .hasPrefix("r/run.json: bad manifest: missing field \"model.dim\""))
    #expect(reason("{\(base),\"status\":\"sleeping\"}").contains("field \"status\""))
    #expect(reason("{\(base),\"status\":\"running\",\"unknown\":[1]}") == "decoded")
    #expect(reason("{\"format_version\":").hasPrefix("r/run.json: bad manifest:"))
    #expect(
      reason("{\(base.replacingOccurrences(of: ":1,\"id", with: ":2,\"id")),\"status\":\"queued\"}")
        == "r/run.json: bad manifest: format_version 2 is not supported\n"
        + "  hint: this dpotop reads format_version 1")
  }

  @Test func manifestWithNonFiniteNumbersRoundTrips() throws {
    var m = RunManifest(id: "x", name: "x", createdAt: 0)
    m.beta = .infinity
    m.learningRate = .nan
    let back = try RunManifest.decode(m.encoded(), path: "x")
    #expect(back.beta == .infinity && back.learningRate?.isNaN == true)
    #expect(back.encoded() == m.encoded())
  }

  @Test func trainerSettingsRoundTripUnderTheirOwnKeysAndSpellTheirOptions() throws {
    var m = RunManifest(id: "x", name: "x", createdAt: 0)
    m.trainerSettings = TrainerSettings(
      warmupSteps: 3, trainRows: 300, evalEvery: 4, evalSamples: 2, evalPairs: 8, probes: 0,
      bestOf: 2, bestOfPrompts: 1, checkpointEvery: 3, weightDecay: 0.01)
    let text = String(decoding: m.encoded(), as: UTF8.self)
    #expect(text.contains("\"trainer_settings\""))
    #expect(text.contains("\"eval_every\" : 4") && text.contains("\"best_of_prompts\" : 1"))
    #expect(try RunManifest.decode(m.encoded(), path: "x") == m)
    #expect(
      m.trainerSettings?.options
        == [
          "warmup": "3", "train-rows": "300", "eval-every": "4", "eval-samples": "2",
          "eval-pairs": "8", "probes": "0", "best-of": "2", "best-of-prompts": "1",
          "checkpoint-every": "3", "weight-decay": "0.01",
        ])
    // A manifest written before the field existed (or by an importer) has none.
    let old = try RunManifest.decode(
      Data(
        #"{"format_version":1,"id":"a","name":"a","created_at":0,"trainer":"trl","status":"finished"}"#
          .utf8),
      path: "a")
    #expect(old.trainerSettings == nil)
  }
}

@Suite struct TornLineTests {
  @Test func aWriterReopeningATornFileClosesTheTornLineFirst() throws {
    let dir = TempDir()
    // A trainer killed in the middle of writing step 2.
    dir.write("metrics.jsonl", line(1, loss: 1) + "{\"step\":2,\"lo")
    let writer = try MetricsWriter(path: dir.file("metrics.jsonl"))
    try writer.append(MetricRecord(step: 2, values: [("loss", 0.5)]))
    let reader = TailReader(path: dir.file("metrics.jsonl"))
    let records = try reader.pollRecords().records
    #expect(records.map(\.step) == [1, 2])
    #expect(reader.badCount == 1 && reader.recentBad.first?.line == 2)
  }

  @Test func aWriteFailingHalfWayLeavesOneBadLineAndLaterRecordsIntact() throws {
    let dir = TempDir()
    let writer = try MetricsWriter(path: dir.file("metrics.jsonl"))
    try writer.append(MetricRecord(step: 1, values: [("loss", 1)]))
    // The disk fills up after 10 bytes of the next record.
    var calls = 0
    writer.writeBytes = { fd, p, n in
      calls += 1
      if calls == 1 { return Glibc.write(fd, p, min(n, 10)) }
      errno = ENOSPC
      return -1
    }
    #expect(throws: RunLogError.self) {
      try writer.append(MetricRecord(step: 2, values: [("loss", 2)]))
    }
    #expect(writer.needsNewline)
    writer.writeBytes = { Glibc.write($0, $1, $2) }
    try writer.append(MetricRecord(step: 3, values: [("loss", 3)]))
    let reader = TailReader(path: dir.file("metrics.jsonl"))
    #expect(try reader.pollRecords().records.map(\.step) == [1, 3])
    #expect(reader.badCount == 1 && reader.lineCount == 3)
  }

  @Test func diskFullErrorNamesTheFileAndTheCause() throws {
    let dir = TempDir()
    let writer = try MetricsWriter(path: dir.file("metrics.jsonl"))
    writer.writeBytes = { _, _, _ in
      errno = ENOSPC
      return -1
    }
    do {
      try writer.append(MetricRecord(step: 1, values: [("loss", 1)]))
      Issue.record("expected a write error")
    } catch {
      #expect(
        error.description == "\(dir.file("metrics.jsonl")): write failed: No space left on device\n"
          + "  hint: the disk (or file size limit) is full")
    }
    #expect(!writer.needsNewline)
  }

  @Test func aFinalManifestWithNoRoomForANewFileIsRewrittenInPlace() throws {
    let dir = TempDir()
    let run = RunDirectory(path: dir.file("run-1"))
    try run.create()
    // A trainer's manifest, pretty-printed as written while running.
    var m = RunManifest(id: "r1", name: "r1", createdAt: 1_700_000_000, status: .running)
    m.objective = "dpop"
    m.pid = 4321
    m.dataset = DatasetInfo(name: "math-low-edit", examples: 1000, meanEditDistance: 0.07)
    m.model = ModelInfo(layers: 2, dim: 64, heads: 4, context: 64, vocab: 32, parameters: 104_000)
    try run.writeManifest(m)
    let size = try #require(
      try FileManager.default.attributesOfItem(atPath: run.manifestPath)[.size] as? Int)
    // The atomic write's temporary cannot be created (a directory holds its
    // name), as on a full disk: the manifest is rewritten within its size.
    let blocker = run.manifestPath + ".tmp.\(getpid())"
    try FileManager.default.createDirectory(atPath: blocker, withIntermediateDirectories: false)
    m.status = .failed
    m.error = "metrics.jsonl: write failed: No space left on device"
    try run.writeFinalManifest(m)
    let back = try run.readManifest()
    #expect(back == m, "\(back) vs \(m)")
    #expect(
      try FileManager.default.attributesOfItem(atPath: run.manifestPath)[.size] as? Int == size)
    // A cause too long for the old size is shortened, never torn.
    m.error = String(repeating: "x", count: 5000)
    try run.writeFinalManifest(m)
    let shortened = try run.readManifest()
    #expect(shortened.status == .failed)
    #expect(shortened.error?.hasSuffix("…") == true)
    #expect((shortened.error?.count ?? 0) < 1000)
    // With room, it is the ordinary atomic write.
    try FileManager.default.removeItem(atPath: blocker)
    try run.writeFinalManifest(m)
    #expect(try run.readManifest() == m)
  }

  @Test func textFilesThatReportSizeZeroAreReadWhole() throws {
    let dir = TempDir()
    #expect(readTextFile(dir.write("empty", "")) == "")
    #expect(readTextFile(dir.file("missing")) == nil)
    // /proc files say 0 bytes and hold text.
    #expect(readTextFile("/proc/self/status")?.contains("VmRSS:") == true)
    #expect(readTextFile(dir.write("bad", [0x66, 0xFF, 0x67])) == "f\u{FFFD}g")
  }
}

import Foundation
import RunLog
import Testing

@testable import Training

/// The reference log-prob cache runs share on disk (`--ref-cache`): what it
/// saves, that it never changes a result, and that bad files cost only a
/// recompute.
@Suite struct ReferenceCacheTests {
  let shape = ModelConfig(
    vocab: Tokenizer.standard.vocabSize, context: 48, dim: 8, layers: 1, heads: 2)

  func tempDir(_ name: String = #function) -> String {
    let path = TrainerFixtures.tempRun(name).path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  func weights(seed: UInt64) -> [Float] {
    let model = TinyTransformer(config: shape, maxBatch: 1)
    model.initialiseWeights(seed: seed)
    return model.parameters
  }

  /// Warnings collected instead of printed.
  final class Warnings: @unchecked Sendable {
    var lines: [String] = []
    func add(_ line: String) { lines.append(line) }
  }

  // MARK: whole runs

  func preferenceConfig(_ objective: Objective, ref: String, cache: String?) -> TrainingConfig {
    var c = TrainerFixtures.sftConfig(steps: 6)
    c.objective = objective
    c.data = "math-low-edit"
    c.reference = ref
    c.batch = 3
    c.cosineDecay = false
    c.referenceCache = cache
    return c
  }

  func writeReference(in dir: String) throws -> String {
    let path = dir + "/ref.ckpt"
    try Checkpoint(model: shape, step: 0, objective: "sft", parameters: weights(seed: 3))
      .write(to: path)
    return path
  }

  /// Runs `config` into a new directory under `dir`; its records (time and
  /// tokens/s left out: wall-clock) and the reference cache's counters.
  func train(_ config: TrainingConfig, in dir: String, name: String) throws -> (
    records: [String], computed: Int, shared: Int
  ) {
    let run = RunDirectory(path: dir + "/" + name)
    let trainer = try Trainer(config: config, directory: run, log: { _ in })
    #expect(try trainer.run() == .finished)
    let reference = try #require(trainer.stepper as? PreferenceStepper).reference
    let records = TrainerFixtures.records(run).map { r in
      "\(r.split) \(r.step) "
        + r.values.filter { $0.key != MetricKey.tokensPerSecond }.sorted { $0.key < $1.key }
        .map { "\($0.key)=\($0.value.bitPattern)" }.joined(separator: " ")
    }
    return (records, reference.computedSequences, reference.sharedSequences)
  }

  @Test func aSecondRunReadsTheFirstsValuesAndLogsTheSameBits() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let ref = try writeReference(in: dir)
    let config = preferenceConfig(.dpo, ref: ref, cache: dir + "/reference-cache")
    let first = try train(config, in: dir, name: "a")
    let second = try train(config, in: dir, name: "b")
    #expect(first.computed > 0 && first.shared == 0)
    #expect(second.computed == 0, "every pair was already in the first run's file")
    #expect(second.shared == first.computed)
    #expect(first.records.count > 6)
    #expect(second.records == first.records)
    // One fingerprint directory, one file per run that computed something.
    let fingerprints = try FileManager.default.contentsOfDirectory(atPath: dir + "/reference-cache")
    #expect(fingerprints.count == 1)
    let files = try FileManager.default.contentsOfDirectory(
      atPath: dir + "/reference-cache/" + fingerprints[0])
    #expect(files.count == 1 && files[0].hasPrefix("a-") && files[0].hasSuffix(".refl"))
  }

  @Test func dpoAndDpopSharingACacheLogWhatEachLogsAlone() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let ref = try writeReference(in: dir)
    let cache = dir + "/reference-cache"
    let dpoShared = try train(preferenceConfig(.dpo, ref: ref, cache: cache), in: dir, name: "dpo")
    // Another β too, as in a sweep: the reference's values do not depend on it.
    var dpop = preferenceConfig(.dpop, ref: ref, cache: cache)
    dpop.beta = 0.3
    let dpopShared = try train(dpop, in: dir, name: "dpop")
    let dpoAlone = try train(preferenceConfig(.dpo, ref: ref, cache: nil), in: dir, name: "dpo1")
    dpop.referenceCache = nil
    let dpopAlone = try train(dpop, in: dir, name: "dpop1")
    #expect(dpopShared.shared > 0 && dpopShared.computed == 0)
    #expect(dpoAlone.shared == 0 && dpoAlone.computed == dpoShared.computed)
    #expect(dpoShared.records == dpoAlone.records)
    #expect(dpopShared.records == dpopAlone.records)
    #expect(dpoShared.records != dpopShared.records)  // the runs do differ
  }

  @Test func aResumedRunReadsItsOwnEarlierFileAndFinishesLikeAnUnbrokenOne() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let ref = try writeReference(in: dir)
    let cache = dir + "/reference-cache"
    var short = preferenceConfig(.dpo, ref: ref, cache: cache)
    short.steps = 4
    let run = RunDirectory(path: dir + "/r")
    // Stopped after step 4 with its checkpoint, then resumed to 6 steps.
    #expect(try Trainer(config: short, directory: run, log: { _ in }).run() == .finished)
    let full = preferenceConfig(.dpo, ref: ref, cache: cache)
    let resumed = try Trainer(config: full, directory: run, resume: true, log: { _ in })
    #expect(try resumed.run() == .finished)
    let reference = try #require(resumed.stepper as? PreferenceStepper).reference
    #expect(reference.sharedSequences > 0)
    let unbroken = try train(preferenceConfig(.dpo, ref: ref, cache: nil), in: dir, name: "u")
    let losses = TrainerFixtures.trainLosses(run)
    let expected = TrainerFixtures.trainLosses(RunDirectory(path: dir + "/u"))
    #expect(losses.count == 6 && losses == expected)
    #expect(unbroken.computed > 0)
  }

  // MARK: the pieces

  @Test func aDifferentReferenceUsesAnotherDirectoryAndComputesItsOwnValues() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let pairs = try BuiltinDataset.mathLowEdit.pairs(count: 6, seed: 3)
    let a = ReferenceLogProbs(
      config: shape, parameters: weights(seed: 11), maxPairs: 2, threads: 1, cacheRoot: dir,
      runName: "a")
    let fromA = a.logProbs(pairs, [0, 1, 2], key: 0)
    let b = ReferenceLogProbs(
      config: shape, parameters: weights(seed: 12), maxPairs: 2, threads: 1, cacheRoot: dir,
      runName: "b")
    let fromB = b.logProbs(pairs, [0, 1, 2], key: 0)
    #expect(b.sharedSequences == 0 && b.computedSequences == 6)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir).count == 2)
    let alone = ReferenceLogProbs(
      config: shape, parameters: weights(seed: 12), maxPairs: 2, threads: 1)
    let direct = alone.logProbs(pairs, [0, 1, 2], key: 0)
    #expect(zip(fromB, direct).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 })
    #expect(zip(fromA, fromB).allSatisfy { $0.0 != $1.0 })
    // A third run of reference A reads A's values, under whatever dataset key or index.
    let c = ReferenceLogProbs(
      config: shape, parameters: weights(seed: 11), maxPairs: 2, threads: 1, cacheRoot: dir,
      runName: "c")
    let fromC = c.logProbs([pairs[2], pairs[0]], [0, 1], key: 1)
    #expect(c.computedSequences == 0 && c.sharedSequences == 4)
    #expect(fromC[0] == fromA[2] && fromC[1] == fromA[0])
  }

  @Test func theFingerprintCoversWhatDecidesTheBits() {
    let w = weights(seed: 11)
    let base = ReferenceCacheIdentity.fingerprint(
      model: shape, parameters: w, kernels: .plain, executable: "x")
    var bumped = w
    bumped[7] = bumped[7].nextUp
    var longer = shape
    longer.context = 64
    #expect(
      base
        == ReferenceCacheIdentity.fingerprint(
          model: shape, parameters: w, kernels: .plain, executable: "x"))
    for other in [
      ReferenceCacheIdentity.fingerprint(
        model: shape, parameters: bumped, kernels: .plain, executable: "x"),
      ReferenceCacheIdentity.fingerprint(
        model: longer, parameters: w, kernels: .plain, executable: "x"),
      ReferenceCacheIdentity.fingerprint(
        model: shape, parameters: w, kernels: .avx2, executable: "x"),
      ReferenceCacheIdentity.fingerprint(
        model: shape, parameters: w, kernels: .plain, executable: "y"),
    ] {
      #expect(other != base)
    }
    #expect(base.hex.count == 32 && base.hex.allSatisfy(\.isHexDigit))
    // Field boundaries count: ("ab", "c") and ("a", "bc") are different pairs.
    let p1 = PreferencePair(prompt: "ab", chosen: "c", rejected: "d")
    let p2 = PreferencePair(prompt: "a", chosen: "bc", rejected: "d")
    #expect(ReferenceCacheIdentity.key(p1) != ReferenceCacheIdentity.key(p2))
  }

  @Test func theHashIsPinned() {
    // MurmurHash3 x64-128's published value for this text (seed 0): h1 = e34bbc7bbc071b6c,
    // h2 = 7a433ca9c49a9347. Pinned: a changed hash would orphan every cache.
    let fox = StableHash128.of(Array("The quick brown fox jumps over the lazy dog".utf8))
    #expect(fox == StableHash128(low: 0xE34B_BC7B_BC07_1B6C, high: 0x7A43_3CA9_C49A_9347))
    #expect(StableHash128.of([UInt8]()) == StableHash128(low: 0, high: 0))
  }

  /// A reader over `dir` (one fingerprint directory) with collected warnings.
  func reader(_ dir: String, seed: UInt32, _ warnings: Warnings) -> ReferenceCacheReader {
    ReferenceCacheReader(directory: dir, ownName: "own.refl", seed: seed, warn: warnings.add)
  }

  func records(_ n: Int) -> [ReferenceCacheRecord] {
    (0..<n).map {
      ReferenceCacheRecord(
        key: StableHash128(low: UInt64($0), high: 7), chosen: -Double($0) - 0.5,
        rejected: -Double($0) * 3)
    }
  }

  func bytes(_ records: [ReferenceCacheRecord], seed: UInt32) -> [UInt8] {
    records.flatMap { $0.encoded(seed: seed) }
  }

  func append(_ path: String, _ bytes: [UInt8]) throws {
    if !FileManager.default.fileExists(atPath: path) {
      FileManager.default.createFile(atPath: path, contents: nil)
    }
    let handle = try #require(FileHandle(forWritingAtPath: path))
    handle.seekToEndOfFile()
    handle.write(Data(bytes))
    try handle.close()
  }

  @Test func aTornLastRecordIsReadOnceItIsWhole() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let warnings = Warnings()
    var r = reader(dir, seed: 5, warnings)
    let all = bytes(records(4), seed: 5)
    try append(dir + "/peer.refl", Array(all[0..<(3 * 40 + 17)]))
    #expect(r.readNew() == Array(records(4).prefix(3)))
    #expect(r.readNew().isEmpty)
    try append(dir + "/peer.refl", Array(all[(3 * 40 + 17)...]))
    #expect(r.readNew() == [records(4)[3]])
    // Its own file is never read back.
    try append(dir + "/own.refl", bytes(records(2), seed: 5))
    #expect(r.readNew().isEmpty)
    #expect(warnings.lines.isEmpty)
  }

  @Test func aBadChecksumSkipsThatRecordOnlyAndSaysWhere() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let warnings = Warnings()
    var r = reader(dir, seed: 5, warnings)
    var all = bytes(records(3), seed: 5)
    all[40 + 25] ^= 0x01  // record 1's chosen value, one bit
    try append(dir + "/peer.refl", all)
    #expect(r.readNew() == [records(3)[0], records(3)[2]])
    #expect(warnings.lines.count == 1)
    #expect(warnings.lines.first?.contains(dir + "/peer.refl") == true)
    #expect(warnings.lines.first?.contains("byte 40") == true)
  }

  @Test func garbageAndWrongFingerprintsGiveNothingAndNeverCrash() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let warnings = Warnings()
    var r = reader(dir, seed: 5, warnings)
    var rng = SystemRandomNumberGenerator()
    try append(
      dir + "/garbage.refl", (0..<1003).map { _ in UInt8.random(in: 0...255, using: &rng) })
    // Whole, well-formed records of another fingerprint's directory.
    try append(dir + "/copied.refl", bytes(records(5), seed: 6))
    try FileManager.default.createDirectory(
      atPath: dir + "/odd.refl", withIntermediateDirectories: true)
    try append(dir + "/notes.txt", Array("not a cache file".utf8))
    #expect(r.readNew().isEmpty)
    #expect(r.readNew().isEmpty)
    // One warning per bad file, not one per record or per call.
    #expect(warnings.lines.count == 3, "\(warnings.lines)")
    // An empty record of zeros (a hole a file server showed early) is no value either.
    try append(dir + "/holes.refl", [UInt8](repeating: 0, count: 80))
    #expect(r.readNew().isEmpty)
  }

  @Test func anUnusableCacheDirectoryIsWarnedAboutAndTheRunGoesOn() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let file = dir + "/plain-file"
    FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
    let warnings = Warnings()
    let pairs = try BuiltinDataset.mathLowEdit.pairs(count: 3, seed: 3)
    let ref = ReferenceLogProbs(
      config: shape, parameters: weights(seed: 11), maxPairs: 2, threads: 1, cacheRoot: file,
      runName: "a", warn: warnings.add)
    #expect(ref.shared == nil)
    #expect(warnings.lines.count == 1 && warnings.lines[0].contains(file))
    let values = ref.logProbs(pairs, [0, 2], key: 0)
    #expect(values.allSatisfy { $0.0.isFinite && $0.1.isFinite })
  }
}

import Foundation
import Testing

@testable import Sweeps

@Suite struct SweepSpecTests {
  @Test func defaultsAreThePapersAblation() {
    let spec = SweepSpec()
    #expect(spec.objectives == ["dpo", "dpop"])
    #expect(spec.betas == [0.1, 0.3, 1.0])
    #expect(spec.lambda == 50)
    #expect(
      spec.plan().map(\.name) == [
        "dpo-b0.1-s1", "dpo-b0.3-s1", "dpo-b1.0-s1", "dpop-b0.1-s1", "dpop-b0.3-s1", "dpop-b1.0-s1",
      ])
  }

  @Test(arguments: [
    (SweepSpec.Field.betas, "0", "betas: β must be > 0, got 0"),
    (.betas, "abc", "betas: 'abc' is not a number"),
    (.betas, "0.1,,0.3", "betas: needs a comma-separated list without empty items"),
    (.betas, "0.1,0.1", "betas: repeated β"),
    (.betas, "nan", "betas: 'nan' is not a number"),
    (.objectives, "dpo,ppo", "objectives: unknown objective 'ppo'"),
    (.lambda, "-1", "lambda: '-1' is not a number ≥ 0"),
    (.steps, "0", "steps: '0' is not a step count ≥ 1"),
    (.lr, "2", "lr: a learning rate must be < 1"),
    (.jobs, "x", "jobs: 'x' is not a job count 1...256"),
    (.seeds, "-3", "seeds: '-3' is not a seed ≥ 0"),
    (.out, "runs/a\nb", "out: contains a control character (U+a)"),
    (.out, "", "out: needs a directory path"),
  ])
  func badValuesAreRefusedWithTheFieldNamed(field: SweepSpec.Field, text: String, message: String) {
    var spec = SweepSpec()
    let before = spec
    #expect(throws: SweepError.self) { try spec.set(field, text) }
    do {
      try spec.set(field, text)
    } catch {
      #expect(error.description.hasPrefix(message), "got: \(error.description)")
    }
    #expect(spec == before, "a refused value must not change the spec")
  }

  @Test func goodValuesRoundTripThroughTheirText() throws {
    var spec = SweepSpec()
    try spec.set(.objectives, " ipo, slic ")
    try spec.set(.betas, "0.05,2")
    try spec.set(.seeds, "1,2,3")
    #expect(spec.objectives == ["ipo", "slic"])
    #expect(spec.betas == [0.05, 2])
    #expect(spec.text(.betas) == "0.05,2.0")
    #expect(spec.plan().count == 12)
    var copy = SweepSpec()
    for f in SweepSpec.Field.allCases { try copy.set(f, spec.text(f)) }
    #expect(copy == spec)
  }

  @Test func aHugePasteIsRefusedNotStored() {
    var spec = SweepSpec()
    let paste = String(repeating: "0.1,", count: 2500)
    #expect(throws: SweepError.self) { try spec.set(.betas, paste) }
    #expect(spec.betas == [0.1, 0.3, 1.0])
  }
}

@Suite struct SafeNameTests {
  @Test(arguments: ["..", ".", ".hidden", "a/b", "/abs", "a\u{0}b", "a\nb", "a\u{202E}b", ""])
  func escapingNamesAreRefused(name: String) {
    #expect(throws: SweepError.self) { try SafeName.check(name) }
  }

  @Test func longNamesAreRefusedAndPlainOnesPass() throws {
    #expect(throws: SweepError.self) { try SafeName.check(String(repeating: "x", count: 256)) }
    try SafeName.check(String(repeating: "x", count: 255))
    try SafeName.check("dpop-b0.3-s1")
  }
}

@Suite struct SweepManifestReadTests {
  /// Fuzz regression (sweep_json, empty input): an empty sweep.json is a clear
  /// error naming the file (it used to leak a 4 KB buffer in Foundation's reader).
  @Test func anEmptyOrEscapingSweepJsonIsRefusedNamingTheFile() throws {
    let dir = try temporaryDirectory()
    FileManager.default.createFile(atPath: dir + "/sweep.json", contents: Data())
    #expect(throws: SweepError.self) { try SweepManifest.read(from: dir) }
    do {
      _ = try SweepManifest.read(from: dir)
    } catch {
      #expect(error.description.contains("sweep.json"))
    }
    let escaping = """
      {"format_version":1,"id":"x","name":"x","created_at":0,"backend":"local",
      "spec":{"objectives":["dpo"],"betas":[0.1],"lambda":50,"steps":1,"learning_rate":0.1,
      "data":"d","seeds":[1],"jobs":1,"out":"o"},
      "runs":[{"name":"../../etc","objective":"dpo","beta":0.1,"seed":1}],"status":"running"}
      """
    try escaping.write(toFile: dir + "/sweep.json", atomically: true, encoding: .utf8)
    do {
      _ = try SweepManifest.read(from: dir)
      Issue.record("a run name with '/' was accepted")
    } catch {
      #expect(error.description.contains("may not"))
    }
  }
}

import Foundation
import Testing

@testable import RunLog

/// Issue 19: run-name parts, seed cells and their statistics, and
/// `dpotop summary --group-seeds`.
@Suite struct SeedGroupsTests {
  @Test func namePartsDropOnlyTheWordsThatSpellASetting() {
    #expect(
      RunNameParts("dpop-b0.1-s2").dropping(objective: "dpop", beta: 0.1, seed: 2).text == "")
    #expect(RunNameParts("dpo-b1.0-s1").dropping(objective: "dpo", beta: 1).text == "s1")
    #expect(RunNameParts("my-run-lr1e-4-seed3").dropping(seed: 3).text == "my-run-lr1e-4")
    #expect(RunNameParts("beta=0.3_x").dropping(beta: 0.3).text == "x")
    #expect(RunNameParts("dpo-b0.1-s1").dropping(beta: 0.3).text == "dpo-b0.1-s1")
    #expect(RunNameParts("sweep/dpop_l50 s12").dropping(lambda: 50, seed: 12).text == "sweep/dpop")
    // A word that merely starts like a setting stays.
    #expect(RunNameParts("seedless-best").dropping(seed: 1).text == "seedless-best")
  }

  @Test func seedCellsDifferOnlyBySeed() {
    func m(_ name: String, seed: Int?, beta: Double = 0.1) -> RunManifest {
      var m = RunManifest(id: name, name: name, createdAt: 0)
      m.objective = "dpo"
      m.beta = beta
      m.seed = seed
      return m
    }
    let a = SeedCell.key(m("dpo-b0.1-s1", seed: 1), group: "g")
    #expect(a != nil)
    #expect(a == SeedCell.key(m("dpo-b0.1-s2", seed: 2), group: "g"))
    #expect(a != SeedCell.key(m("dpo-b0.1-s2", seed: 2), group: "other sweep"))
    #expect(a != SeedCell.key(m("dpo-b0.3-s2", seed: 2, beta: 0.3), group: "g"))
    #expect(a != SeedCell.key(m("another-s2", seed: 2), group: "g"), "names differ in more")
    #expect(SeedCell.key(m("x", seed: nil), group: "g") == nil)
    #expect(SeedCell.name(m("dpo-b0.1-s2", seed: 2)) == "dpo-b0.1")
  }

  @Test func statsAreMeanSampleSDAndRange() throws {
    let s = try #require(SeedStats([1, 2, 3, .nan]))
    #expect(s.n == 3 && s.mean == 2 && s.sd == 1 && s.min == 1 && s.max == 3)
    #expect(SeedStats([5])?.sd == 0)
    #expect(SeedStats([0.72, 0.72, 0.72])?.sd == 0, "no rounding dust")
    #expect(SeedStats([.nan, .infinity]) == nil)
  }

  /// Three seeds of one cell and one run of another, as `dpotop sweep` lays them out.
  private func makeSweep(_ dir: TempDir) throws -> [String] {
    var paths: [String] = []
    for (name, seed, beta, last) in [
      ("dpo-b0.1-s1", 1, 0.1, -4.0), ("dpo-b0.1-s2", 2, 0.1, -6.0), ("dpo-b0.1-s3", 3, 0.1, -8.0),
      ("dpo-b0.3-s1", 1, 0.3, -1.0),
    ] {
      let run = RunDirectory(path: dir.file("sw/" + name))
      try run.create()
      var m = RunManifest(id: "sw/" + name, name: name, createdAt: 1, status: .finished)
      m.objective = "dpo"
      m.beta = beta
      m.seed = seed
      m.sweepId = "sw-1"
      m.sweepAxes = ["objective": "dpo", "beta": "\(beta)", "seed": "\(seed)"]
      try run.writeManifest(m)
      dir.write(
        "sw/\(name)/metrics.jsonl",
        """
        {"step":1,"loss":0.7}
        {"step":2,"loss":\(0.5 + Double(seed) / 10)}
        {"step":2,"split":"eval","logps/chosen":\(last)}
        {"step":3,"loss":NaN}

        """)
      paths.append(run.path)
    }
    return paths
  }

  @Test func summaryGroupsSeedsAsMeanAndSD() throws {
    let dir = TempDir()
    let runs = try makeSweep(dir).map { try LoadedRun.load($0) }
    let summary = SeedGroupSummary(runs)
    #expect(summary.groups.map(\.name) == ["dpo-b0.1", "dpo-b0.3"])
    #expect(summary.groups.map { $0.runs.count } == [3, 1])
    let cell = summary.groups[0]
    let loss = try #require(cell.rows.first { $0.key == "loss" && $0.split == .train })
    // The last finite loss of each seed (step 2: the NaN at step 3 is skipped).
    #expect(loss.stats.n == 3 && loss.lastStep == 2)
    #expect(abs(loss.stats.mean - 0.7) < 1e-12 && abs(loss.stats.sd - 0.1) < 1e-12)
    let chosen = try #require(cell.rows.first { $0.key == "logps/chosen" })
    #expect(chosen.split == .eval && chosen.stats.mean == -6 && chosen.stats.sd == 2)
    #expect(chosen.stats.min == -8 && chosen.stats.max == -4)

    let text = summary.text()
    #expect(text.contains("group: dpo-b0.1  n 3  seeds 1,2,3  objective dpo  beta 0.1"))
    #expect(text.contains("eval   logps/chosen   3          2            -6             2"))
    let json = summary.json()
    let parsed = try #require(
      try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
    #expect(parsed.count == 2)
    #expect(parsed[0]["n"] as? Int == 3)
    #expect(parsed[0]["seeds"] as? [Int] == [1, 2, 3])
    let metrics = try #require(parsed[0]["metrics"] as? [[String: Any]])
    let evalChosen = try #require(metrics.first { $0["key"] as? String == "logps/chosen" })
    #expect(evalChosen["mean"] as? Double == -6 && evalChosen["sd"] as? Double == 2)
    #expect(evalChosen["n"] as? Int == 3)
  }
}

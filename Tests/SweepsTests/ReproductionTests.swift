import Foundation
import Testing

@testable import Sweeps

/// `dpotop reproduce`'s runs and tables (moved out of the executable):
/// the run set, the trainer's arguments, and the tables read back from
/// run directories.
@Suite struct ReproductionTests {
  @Test func theRunSetIsThePapersSweepAndPair() {
    #expect(
      ReproductionRun.lowEdit.map(\.name) == [
        "math-low-edit-dpo-b0.1", "math-low-edit-dpo-b0.3", "math-low-edit-dpo-b1.0",
        "math-low-edit-dpop-b0.1", "math-low-edit-dpop-b0.3", "math-low-edit-dpop-b1.0",
      ])
    #expect(
      ReproductionRun.highEdit.map(\.name) == [
        "math-high-edit-dpo-b0.1", "math-high-edit-dpop-b0.1",
      ])
    let seeded = ReproductionRun.withSeeds(ReproductionRun.highEdit, 2)
    #expect(
      seeded.map(\.name) == [
        "math-high-edit-dpo-b0.1-s1", "math-high-edit-dpo-b0.1-s2", "math-high-edit-dpop-b0.1-s1",
        "math-high-edit-dpop-b0.1-s2",
      ])
    #expect(seeded[1].cell == ReproductionRun.highEdit[0])
    #expect(
      seeded[1].trainArguments(out: "/o", common: ["--steps", "5"]) == [
        "train", "--objective", "dpo", "--beta", "0.1", "--data", "math-high-edit", "--out",
        "/o/math-high-edit-dpo-b0.1-s2", "--seed", "2", "--steps", "5",
      ])
  }

  @Test func theTablesReadTheRunsEvaluations() throws {
    let out = NSTemporaryDirectory() + "dpotop-reproduction-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: out) }
    let run = ReproductionRun(objective: "dpo", beta: 0.1, data: "math-low-edit")
    try FileManager.default.createDirectory(
      atPath: out + "/" + run.name, withIntermediateDirectories: true)
    let lines = [
      #"{"split":"train","step":1,"logps/chosen":-1}"#,
      #"{"split":"eval","step":0,"logps/chosen":-10.25,"logps/ref_chosen":-10.25,"rewards/margins":0.25,"rewards/accuracies":0.5,"task_accuracy":0.875}"#,
      #"{"split":"eval","step":25,"logps/chosen":-12.75,"logps/ref_chosen":-10.25,"rewards/margins":1.25,"rewards/accuracies":0.75,"task_accuracy":0.25}"#,
    ]
    try (lines.joined(separator: "\n") + "\n").write(
      toFile: out + "/" + run.name + "/metrics.jsonl", atomically: true, encoding: .utf8)
    try "step 25 ... 12.5 s wall, 3.25 s CPU\n".write(
      toFile: out + "/" + run.name + ".log", atomically: true, encoding: .utf8)
    let missing = ReproductionRun(objective: "dpop", beta: 0.1, data: "math-low-edit")

    #expect(ReproductionReport.evals(out + "/" + run.name).map(\.0) == [0, 25])
    #expect(ReproductionReport.cpuSeconds(out + "/" + run.name + ".log") == 3.25)
    let table = ReproductionReport.table([run, missing], out: out).split(separator: "\n")
    #expect(table.count == 4)
    #expect(
      table[2] == "math-low-edit-dpo-b0.1       nan  0.00 -2.50  | 1.25  0.75  0.875 -> 0.250")
    #expect(
      table[3] == "math-low-edit-dpop-b0.1: no evaluations (see \(out)/math-low-edit-dpop-b0.1.log)"
    )
    let seeds = ReproductionReport.seedTable([run], out: out).split(separator: "\n")
    #expect(seeds.last?.hasPrefix("math-low-edit-dpo-b0.1     1  ") == true)
    // Runs that logged no best-of-N add no sharpening table.
    #expect(ReproductionReport.sharpening([run], out: out).isEmpty)
  }
}

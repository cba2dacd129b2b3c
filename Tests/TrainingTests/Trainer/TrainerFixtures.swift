import Foundation
import RunLog

@testable import Training

/// Tiny, fast trainer configurations and helpers for the trainer tests.
enum TrainerFixtures {
  /// A model and data small enough for debug builds.
  static func sftConfig(steps: Int = 6) -> TrainingConfig {
    var c = TrainingConfig()
    c.model = ModelConfig(
      vocab: Tokenizer.standard.vocabSize, context: 48, dim: 8, layers: 1, heads: 2)
    c.steps = steps
    c.batch = 3
    c.trainCount = 40
    c.heldOutCount = 4
    c.evalEvery = 3
    c.evalSamples = 2
    c.evalLossRows = 4
    c.checkpointEvery = 2
    c.threads = 1
    c.warmupSteps = 2
    c.learningRate = 1e-2
    return c
  }

  /// A fresh temporary directory path (not created).
  static func tempRun(_ name: String = #function) -> RunDirectory {
    let base = FileManager.default.temporaryDirectory.path
    let tag = name.filter { $0.isLetter || $0.isNumber }
    return RunDirectory(
      path: "\(base)/dpotop-trainer-\(tag)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
  }

  /// The metric records of a run as (step, split, values) dictionaries.
  static func records(_ run: RunDirectory) -> [(step: Int, split: String, values: [String: Double])]
  {
    guard let data = FileManager.default.contents(atPath: run.metricsPath) else { return [] }
    var out: [(Int, String, [String: Double])] = []
    for line in data.split(separator: UInt8(ascii: "\n")) {
      guard let obj = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
        let step = obj["step"] as? Int, let split = obj["split"] as? String
      else { continue }
      var values: [String: Double] = [:]
      for (k, v) in obj { if let d = v as? Double, k != "time", k != "step" { values[k] = d } }
      out.append((step, split, values))
    }
    return out
  }

  /// Train losses by step.
  static func trainLosses(_ run: RunDirectory) -> [Int: Double] {
    var out: [Int: Double] = [:]
    for r in records(run) where r.split == "train" { out[r.step] = r.values["loss"] }
    return out
  }
}

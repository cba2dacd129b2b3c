import Foundation
import RunLog
import Testing

@testable import Training

/// Best-of-N metrics: which sample is "best", the accuracies, the greedy split.
@Suite struct BestOfNTests {
  static func example(_ answer: String) -> TextExample {
    TextExample(prompt: "q", completion: "x\n#### \(answer)", answer: answer)
  }

  static func sample(_ answer: String, _ logProb: Double) -> SampledCompletion {
    SampledCompletion(tokens: [], text: "y\n#### \(answer)", logProb: logProb)
  }

  static func value(_ metrics: [(String, Double)], _ key: String) -> Double? {
    metrics.first { $0.0 == key }?.1
  }

  @Test func theMostLikelySampleCanBeWrongWhenAnotherIsRight() {
    let examples = [Self.example("4"), Self.example("9"), Self.example("1")]
    let samples = [
      [Self.sample("4", -3), Self.sample("5", -1)],  // best wrong, one right
      [Self.sample("9", -2), Self.sample("9", -5)],  // best right
      [Self.sample("2", -4), Self.sample("3", -6)],  // none right
    ]
    let m = BestOfN.metrics(examples, samples: samples, bestRef: [-10, -20, -30])
    #expect(Self.value(m, MetricKey.bonLogps) == (-1 - 2 - 4) / 3.0)
    #expect(Self.value(m, MetricKey.bonRefLogps) == -20)
    #expect(Self.value(m, MetricKey.bonAccuracy) == 1 / 3.0)
    #expect(Self.value(m, MetricKey.bonAnyCorrect) == 2 / 3.0)
    #expect(Self.value(m, MetricKey.sampleAccuracy) == 3 / 6.0)
  }

  @Test func anyCorrectIsNeverBelowTheBestOfNAccuracy() {
    var rng = ModelRNG(seed: 11)
    for _ in 0..<200 {
      let n = 1 + Int(rng.next() % 6)
      let prompts = 1 + Int(rng.next() % 5)
      let examples = (0..<prompts).map { _ in Self.example("7") }
      let samples = (0..<prompts).map { _ in
        (0..<n).map { _ in Self.sample(rng.next() % 3 == 0 ? "7" : "8", -rng.unit() * 10) }
      }
      let m = BestOfN.metrics(
        examples, samples: samples, bestRef: [Double](repeating: 0, count: prompts))
      let acc = Self.value(m, MetricKey.bonAccuracy) ?? .nan
      let any = Self.value(m, MetricKey.bonAnyCorrect) ?? .nan
      let sample = Self.value(m, MetricKey.sampleAccuracy) ?? .nan
      #expect(any >= acc)
      #expect(any >= sample && sample >= 0 && any <= 1)
    }
  }

  @Test func tiesGoToTheFirstSample() {
    #expect(BestOfN.best([Self.sample("1", -2), Self.sample("2", -2)]) == 0)
    #expect(BestOfN.best([]) == nil)
  }

  @Test func promptsWithoutAnAnswerCountForLogProbsOnly() {
    let unknown = TextExample(prompt: "q", completion: "no marker")
    let m = BestOfN.metrics(
      [unknown], samples: [[Self.sample("1", -2)]], bestRef: [-3])
    #expect(Self.value(m, MetricKey.bonLogps) == -2)
    #expect(Self.value(m, MetricKey.bonAccuracy) == nil)
    #expect(Self.value(m, MetricKey.sampleAccuracy) == nil)
  }

  @Test func greedySplitLeavesOutASideWithNoPrompt() {
    let examples = [Self.example("4"), Self.example("9"), Self.example("1")]
    let decodes = ["#### 4", "#### 9", "#### 0"]
    let m = BestOfN.greedySplit(
      examples, decodes: decodes, policy: [-1, -3, -8], ref: [-2, -2, -4])
    #expect(Self.value(m, MetricKey.greedyCorrectLogps) == -2)
    #expect(Self.value(m, MetricKey.greedyRefCorrectLogps) == -2)
    #expect(Self.value(m, MetricKey.greedyWrongLogps) == -8)
    #expect(Self.value(m, MetricKey.greedyRefWrongLogps) == -4)
    let allRight = BestOfN.greedySplit(
      Array(examples.prefix(2)), decodes: Array(decodes.prefix(2)), policy: [-1, -3],
      ref: [0, 0])
    #expect(allRight.map(\.0) == [MetricKey.greedyCorrectLogps, MetricKey.greedyRefCorrectLogps])
  }

  @Test func theStreamsDependOnSeedStepPromptAndSampleOnly() {
    func first(_ s: UInt64, _ step: Int, _ p: Int, _ j: Int) -> UInt64 {
      var g = BestOfN.rng(seed: s, step: step, prompt: p, sample: j)
      return g.next()
    }
    #expect(first(1, 25, 3, 2) == first(1, 25, 3, 2))
    let others = [first(2, 25, 3, 2), first(1, 50, 3, 2), first(1, 25, 4, 2), first(1, 25, 3, 3)]
    #expect(Set(others + [first(1, 25, 3, 2)]).count == 5)
  }
}

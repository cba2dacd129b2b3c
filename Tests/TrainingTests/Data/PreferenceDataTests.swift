import RunLog
import Testing

@testable import Training

@Suite struct PreferenceDataTests {
  @Test func levenshteinKnownValues() {
    #expect(EditDistance.levenshtein("kitten", "sitting") == 3)
    #expect(EditDistance.levenshtein("", "abc") == 3)
    #expect(EditDistance.levenshtein("abc", "") == 3)
    #expect(EditDistance.levenshtein("", "") == 0)
    #expect(EditDistance.levenshtein("flaw", "lawn") == 2)
    #expect(EditDistance.levenshtein("12-3=9", "12-3=10") == 2)
    #expect(EditDistance.levenshtein("é", "e") == 1)
    #expect(EditDistance.normalized("kitten", "sitting") == 3.0 / 7.0)
    #expect(EditDistance.normalized("", "") == 0)
    #expect(EditDistance.normalized("abc", "xyz") == 1)
  }

  @Test func levenshteinIsSymmetricAndBounded() {
    var rng = SplitMix64(seed: 5)
    for _ in 0..<200 {
      let a = String((0..<rng.int(in: 0...12)).map { _ in rng.pick(Array("ab1")) })
      let b = String((0..<rng.int(in: 0...12)).map { _ in rng.pick(Array("ab1")) })
      let d = EditDistance.levenshtein(a, b)
      #expect(d == EditDistance.levenshtein(b, a))
      #expect(d >= abs(a.count - b.count) && d <= max(a.count, b.count))
    }
  }

  @Test func lowEditPairsCorruptExactlyOneIntermediateResult() throws {
    let pairs = try BuiltinDataset.mathLowEdit.pairs(count: 500, seed: 9)
    for pair in pairs {
      let chosen = pair.chosen.split(separator: "\n", omittingEmptySubsequences: false)
      let rejected = pair.rejected.split(separator: "\n", omittingEmptySubsequences: false)
      #expect(chosen.count == rejected.count)
      let differing = zip(chosen, rejected).enumerated().filter { $0.element.0 != $0.element.1 }
      #expect(differing.count == 1)
      guard let (index, (good, bad)) = differing.first.map({ ($0.offset, $0.element) }) else {
        continue
      }
      // Not the last step and not the answer line; only the text after `=` differs.
      #expect(index < chosen.count - 2)
      #expect(good.split(separator: "=").first == bad.split(separator: "=").first)
      #expect(chosen.last == rejected.last)
      #expect(MathData.finalAnswer(in: pair.rejected) == pair.answer)
      #expect(MathData.finalAnswer(in: pair.chosen) == pair.answer)
    }
    let mean = EditDistance.mean(pairs)
    #expect(mean > 0.02 && mean < 0.10)
  }

  @Test func highEditPairsHaveAWrongAnswerAndLargeDistance() throws {
    let pairs = try BuiltinDataset.mathHighEdit.pairs(count: 500, seed: 9)
    let alphabet = Set(MathData.alphabet)
    for pair in pairs {
      #expect(MathData.finalAnswer(in: pair.rejected) != pair.answer)
      #expect(MathData.finalAnswer(in: pair.chosen) == pair.answer)
      #expect(pair.prompt.count + pair.rejected.count <= MathData.maxCharacters)
      #expect((pair.prompt + pair.rejected).allSatisfy { alphabet.contains($0) })
    }
    let mean = EditDistance.mean(pairs)
    #expect(mean > 0.3)
  }

  @Test func preferenceProblemsMatchSFTProblemsForTheSameSeed() throws {
    let examples = BuiltinDataset.math.examples(count: 20, seed: 4)
    let pairs = try BuiltinDataset.mathLowEdit.pairs(count: 20, seed: 4)
    #expect(examples.map(\.prompt) == pairs.map(\.prompt))
    #expect(examples.map(\.completion) == pairs.map(\.chosen))
  }

  @Test func datasetsAreDeterministicAndSplitsDisjoint() throws {
    let a = try BuiltinDataset.mathLowEdit.preferenceDataset(
      trainCount: 300, heldOutCount: 50, seed: 1)
    let b = try BuiltinDataset.mathLowEdit.preferenceDataset(
      trainCount: 300, heldOutCount: 50, seed: 1)
    #expect(a == b)
    #expect(a.size == 350)
    #expect(Set(a.train.map(\.prompt)).isDisjoint(with: a.heldOut.map(\.prompt)))
    #expect(Set(a.heldOut.map(\.prompt)).count == 50)
    // Changing the train count leaves the held-out rows alone.
    let c = try BuiltinDataset.mathLowEdit.preferenceDataset(
      trainCount: 10, heldOutCount: 50, seed: 1)
    #expect(c.heldOut == a.heldOut)
    #expect(a.summary.hasPrefix("math-low-edit: 300 train + 50 held-out pairs"))
  }

  @Test func mathIsNotAPreferenceDataset() {
    #expect(throws: DataError.self) { try BuiltinDataset.math.pairs(count: 1, seed: 0) }
    let sft = BuiltinDataset.math.sftDataset(trainCount: 30, heldOutCount: 10, seed: 2)
    #expect(sft.size == 40)
    #expect(sft.heldOut.allSatisfy { $0.answer != nil })
  }

  @Test func measuredMeanEditDistances() throws {
    // The numbers docs/datasets.md reports (default sizes, seed 0), pinned
    // loosely so a change in the generators is noticed.
    let low = try BuiltinDataset.mathLowEdit.preferenceDataset()
    let high = try BuiltinDataset.mathHighEdit.preferenceDataset()
    print("MEASURED", low.summary)
    print("MEASURED", high.summary)
    #expect(low.meanEditDistance > 0.03 && low.meanEditDistance < 0.08)
    #expect(high.meanEditDistance > 0.4)
  }

  @Test func handBuiltEdgeProblemsStillGivePairs() {
    var rng = SplitMix64(seed: 1)
    let noSteps = MathProblem(name: "Ann", item: "pens", start: 4, steps: [])
    let pair = MathPreferences.lowEdit(noSteps, rng: &rng)
    #expect(pair.chosen == "#### 4" && pair.rejected == "#### 3")
    let oneStep = MathProblem(
      name: "Ann", item: "pens", start: 0,
      steps: [MathStep(op: .add, operand: 1, phrase: "buys 1")])
    let single = MathPreferences.lowEdit(oneStep, rng: &rng)
    #expect(single.chosen == "0+1=1\n#### 1")
    #expect(single.rejected != single.chosen && single.rejected.hasSuffix("\n#### 1"))
  }
}

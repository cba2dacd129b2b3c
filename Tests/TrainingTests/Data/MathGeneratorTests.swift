import RunLog
import Testing

@testable import Training

@Suite struct MathGeneratorTests {
  @Test func splitMix64MatchesReferenceSequence() {
    // First outputs of SplitMix64 with seed 0 (reference values of the published algorithm).
    var rng = SplitMix64(seed: 0)
    #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
    #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
    #expect(rng.next() == 0x06C4_5D18_8009_454F)
  }

  @Test func intInRangeStaysInRangeAndCoversIt() {
    var rng = SplitMix64(seed: 42)
    var seen = Set<Int>()
    for _ in 0..<2000 {
      let value = rng.int(in: -3...4)
      #expect((-3...4).contains(value))
      seen.insert(value)
    }
    #expect(seen.count == 8)
    #expect(rng.int(in: 5...5) == 5)
  }

  @Test func sameSeedSameProblemsDifferentSeedDifferent() {
    var a = MathGenerator(seed: 7)
    var b = MathGenerator(seed: 7)
    var c = MathGenerator(seed: 8)
    let pa = a.problems(count: 50, split: .train)
    #expect(pa == b.problems(count: 50, split: .train))
    #expect(pa != c.problems(count: 50, split: .train))
  }

  @Test func knownProblemRendersAsDocumented() {
    let problem = MathProblem(
      name: "Ann", item: "pens", start: 7,
      steps: [
        MathStep(op: .add, operand: 5, phrase: "buys 5"),
        MathStep(op: .subtract, operand: 3, phrase: "loses 3"),
        MathStep(op: .multiply, operand: 2, phrase: "doubles them"),
      ])
    #expect(problem.prompt == "Ann has 7 pens, buys 5, loses 3, doubles them. How many?\n")
    #expect(problem.completion == "7+5=12\n12-3=9\n9*2=18\n#### 18")
    #expect(problem.results == [12, 9, 18])
    #expect(problem.identityKey == "7 +5 -3 *2")
    #expect(problem.example.answer == "18")
  }

  @Test func problemsRespectBoundsAlphabetAndFormat() {
    var generator = MathGenerator(seed: 1)
    let alphabet = Set(MathData.alphabet)
    for split in DataSplit.allCases {
      for problem in generator.problems(count: 2000, split: split) {
        #expect(MathData.stepRange.contains(problem.steps.count))
        #expect(MathData.startRange.contains(problem.start))
        for value in problem.results { #expect((0...MathData.maxValue).contains(value)) }
        let text = problem.prompt + problem.completion
        #expect(text.count <= MathData.maxCharacters)
        #expect(text.allSatisfy { alphabet.contains($0) })
        #expect(problem.prompt.hasSuffix(" How many?\n"))
        #expect(problem.completion.split(separator: "\n").count == problem.steps.count + 1)
        #expect(MathData.finalAnswer(in: problem.completion) == String(problem.answer))
        #expect(problem.isHeldOut == (split == .heldOut))
      }
    }
  }

  @Test func everyStepCountAndOperationOccurs() {
    var generator = MathGenerator(seed: 3)
    let problems = generator.problems(count: 3000, split: .train)
    let counts = Set(problems.map(\.steps.count))
    #expect(counts == [2, 3, 4])
    let ops = Set(problems.flatMap { $0.steps.map(\.op) })
    #expect(ops == Set(MathStep.Op.allCases))
    // Length cap should not starve 4-step problems.
    let fourSteps = problems.filter { $0.steps.count == 4 }.count
    #expect(fourSteps > 800)
  }

  @Test func trainAndHeldOutNeverShareAnIdentity() {
    let train = MathGenerator.identities(seed: 11, count: 5000, split: .train)
    let heldOut = MathGenerator.identities(seed: 12, count: 500, split: .heldOut)
    #expect(train.isDisjoint(with: heldOut))
    #expect(heldOut.count > 400)
  }

  @Test func alphabetIsSmallAndDocumented() {
    #expect(
      MathData.alphabetString
        == "\n #*+,-.0123456789=?ABEHKMSTZabcdefghiklmnoprstuvwxy")
    #expect(MathData.alphabet.count < 64)
  }

  @Test func finalAnswerExtraction() {
    #expect(MathData.finalAnswer(in: "7+5=12\n#### 12") == "12")
    #expect(MathData.finalAnswer(in: "#### 3\n#### 41 \n") == "41")
    #expect(MathData.finalAnswer(in: "no marker 12") == nil)
    #expect(MathData.finalAnswer(in: "1+1=2\n####   \n") == nil)
    #expect(MathData.finalAnswer(in: "####-4") == "-4")
  }

  @Test func taskAccuracyCountsExactFinalAnswers() {
    let completions = ["1+1=2\n#### 2", "#### 3", "garbage", "#### 10 "]
    let answers = ["2", "4", "5", "10"]
    #expect(MathData.taskAccuracy(completions: completions, answers: answers) == 0.5)
    #expect(MathData.taskAccuracy(completions: [], answers: []) == 0)
    #expect(MathData.isCorrect(completion: "#### 12", answer: " 12"))
    #expect(!MathData.isCorrect(completion: "#### 120", answer: "12"))
  }
}

extension MathGenerator {
  /// Identity keys of `count` problems drawn from `seed`.
  static func identities(seed: UInt64, count: Int, split: DataSplit) -> Set<String> {
    var generator = MathGenerator(seed: seed)
    return Set(generator.problems(count: count, split: split).map(\.identityKey))
  }
}

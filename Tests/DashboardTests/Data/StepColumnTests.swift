import Testing

@testable import Dashboard

@Suite struct StepColumnTests {
  /// Brute-force reference: the first index whose step is ≥ `step`.
  static func brute(_ steps: [Int], _ step: Int, from: Int) -> Int {
    var i = from
    while i < steps.count && steps[i] < step { i += 1 }
    return i
  }

  @Test func evenlySpacedStepsCostNoArray() {
    var c = StepColumn()
    for s in stride(from: 10, to: 1_000_010, by: 5) { c.append(s) }
    #expect(c.isRegular)
    #expect(c.allocatedBytes == 0)
    #expect(c.count == 200_000)
    #expect(c[0] == 10 && c[1] == 15 && c.last == 1_000_005)
    #expect(c.firstIndex(atOrAfter: 12) == 1)
    #expect(c.firstIndex(atOrAfter: 15) == 1)
    #expect(c.firstIndex(atOrAfter: -5) == 0)
    #expect(c.firstIndex(atOrAfter: Int.max) == 200_000)
    #expect(c.firstIndex(atOrAfter: Int.min) == 0)
  }

  @Test func aBreakInTheSpacingKeepsEveryStep() {
    var c: StepColumn = [0, 2, 4, 6]
    #expect(c.isRegular)
    c.append(7)
    #expect(!c.isRegular)
    #expect(Array(c) == [0, 2, 4, 6, 7])
    c.append(100)
    #expect(Array(c) == [0, 2, 4, 6, 7, 100])
    // Equal contents compare equal whatever the storage.
    #expect(StepColumn([1, 2, 3]) == StepColumn(Array([1, 2, 3, 9]).prefix(3)))
    var explicit: StepColumn = [1, 5]
    explicit.append(6)
    explicit.removeSuffix(from: 2)
    #expect(explicit == [1, 5])
  }

  @Test func searchesMatchABruteForceScan() {
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<50 {
      var steps: [Int] = []
      var s = Int.random(in: -100...100, using: &rng)
      let regular = Bool.random(using: &rng)
      let gap = Int.random(in: 1...7, using: &rng)
      for _ in 0..<Int.random(in: 0...300, using: &rng) {
        steps.append(s)
        s += regular ? gap : Int.random(in: 1...7, using: &rng)
      }
      let c = StepColumn(steps)
      #expect(Array(c) == steps)
      for _ in 0..<100 {
        let target = Int.random(in: -120...2300, using: &rng)
        let from = Int.random(in: 0...steps.count, using: &rng)
        let guess = Int.random(in: -1...steps.count + 1, using: &rng)
        #expect(
          c.firstIndex(atOrAfter: target, from: from, guess: guess)
            == Self.brute(steps, target, from: from), "\(steps) \(target) from \(from)")
      }
    }
  }

  @Test func cuttingAndSuffixesKeepTheSteps() {
    var c = StepColumn(stride(from: 0, to: 100, by: 10))
    c.removeSuffix(from: 4)
    #expect(Array(c) == [0, 10, 20, 30])
    c.append(40)
    #expect(c.isRegular)
    #expect(Array(c.suffix(from: 3)) == [30, 40])
    c.removeSuffix(from: 1)
    c.append(3)  // a new spacing after a cut back to one step
    #expect(c.isRegular && Array(c) == [0, 3])
    let irregular: StepColumn = [1, 2, 4, 8]
    #expect(Array(irregular.suffix(from: 2)) == [4, 8])
    #expect(irregular.suffix(from: 9).isEmpty)
  }

  @Test func hugeStepsNeverOverflow() {
    var c = StepColumn()
    c.append(Int.min)
    c.append(0)
    c.append(Int.max)  // Int.min + 2·(−Int.min) overflows: stored as an array
    #expect(Array(c) == [Int.min, 0, Int.max])
    #expect(c.firstIndex(atOrAfter: 1) == 2)
    var r = StepColumn()
    r.append(Int.max - 1)
    r.append(Int.max)
    #expect(r.isRegular)
    #expect(r.firstIndex(atOrAfter: Int.min) == 0)
    #expect(r.firstIndex(atOrAfter: Int.max) == 1)
  }
}

import RunLog

/// Which side of the train/held-out split a problem comes from.
public enum DataSplit: String, Sendable, CaseIterable {
  /// Problems used for training.
  case train
  /// Problems never used for training (by arithmetic identity).
  case heldOut = "held_out"
}

/// Draws random maths word problems, deterministically from a seed.
///
/// Every number stays within 0…`MathData.maxValue`; subtraction never goes
/// below zero; multiplication is by 2 or 3 only. Problems longer than
/// `MathData.maxCharacters` (prompt + completion) or from the other split are
/// redrawn, so `next(split:)` always returns a problem of the requested split.
public struct MathGenerator: Sendable {
  private var rng: SplitMix64

  /// Creates a generator whose sequence of problems is fixed by `seed`.
  public init(seed: UInt64) {
    rng = SplitMix64(seed: seed)
  }

  /// The next problem of `split`.
  public mutating func next(split: DataSplit) -> MathProblem {
    while true {
      let problem = draw()
      guard problem.isHeldOut == (split == .heldOut) else { continue }
      guard problem.prompt.count + problem.completion.count <= MathData.maxCharacters else {
        continue
      }
      return problem
    }
  }

  /// `count` problems of `split`.
  public mutating func problems(count: Int, split: DataSplit) -> [MathProblem] {
    (0..<max(0, count)).map { _ in next(split: split) }
  }

  /// `count` distinct problems (by identity) of `split`, for evaluation sets.
  public mutating func distinctProblems(count: Int, split: DataSplit) -> [MathProblem] {
    var seen = Set<String>()
    var out: [MathProblem] = []
    while out.count < count {
      let problem = next(split: split)
      if seen.insert(problem.identityKey).inserted { out.append(problem) }
    }
    return out
  }

  /// Draws any problem (either split).
  mutating func draw() -> MathProblem {
    let name = rng.pick(MathData.names)
    let item = rng.pick(MathData.items)
    let start = rng.int(in: MathData.startRange)
    let stepCount = rng.int(in: MathData.stepRange)
    var value = start
    var steps: [MathStep] = []
    for _ in 0..<stepCount {
      let step = drawStep(from: value)
      value = step.apply(to: value)
      steps.append(step)
    }
    return MathProblem(name: name, item: item, start: start, steps: steps)
  }

  /// A step that keeps the running total within 0…maxValue.
  mutating func drawStep(from value: Int) -> MathStep {
    // Weights 2:2:1 for + − ×, restricted to what keeps the total in range.
    var ops: [MathStep.Op] = []
    if value < MathData.maxValue { ops += [.add, .add] }
    if value > 0 { ops += [.subtract, .subtract] }
    if value >= 2 && value * 2 <= MathData.maxValue { ops.append(.multiply) }
    switch rng.pick(ops) {
    case .add:
      let operand = rng.int(in: 1...min(MathData.maxOperand, MathData.maxValue - value))
      return MathStep(
        op: .add, operand: operand, phrase: "\(rng.pick(MathData.addVerbs)) \(operand)")
    case .subtract:
      let operand = rng.int(in: 1...min(MathData.maxOperand, value))
      let verb = rng.pick(MathData.subtractVerbs)
      return MathStep(op: .subtract, operand: operand, phrase: "\(verb) \(operand)")
    case .multiply:
      let choices = MathData.multiplyPhrases.filter { value * $0.factor <= MathData.maxValue }
      let choice = rng.pick(choices)
      return MathStep(op: .multiply, operand: choice.factor, phrase: choice.phrase)
    }
  }
}

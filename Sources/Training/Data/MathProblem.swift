/// One arithmetic step of a word problem: the running total `op` `operand`.
public struct MathStep: Sendable, Hashable {
  /// The operation, spelled as it appears in the solution.
  public enum Op: String, Sendable, Hashable, CaseIterable {
    /// Addition.
    case add = "+"
    /// Subtraction (never below zero).
    case subtract = "-"
    /// Multiplication by a single digit (2 or 3).
    case multiply = "*"
  }

  /// The operation.
  public var op: Op
  /// The right-hand operand.
  public var operand: Int
  /// The words of the prompt for this step, e.g. "buys 5" or "doubles them".
  public var phrase: String

  /// Creates a step.
  public init(op: Op, operand: Int, phrase: String) {
    self.op = op
    self.operand = operand
    self.phrase = phrase
  }

  /// The result of applying this step to `value`.
  public func apply(to value: Int) -> Int {
    switch op {
    case .add: return value + operand
    case .subtract: return value - operand
    case .multiply: return value * operand
    }
  }
}

/// A templated maths word problem with its step-by-step solution.
///
/// Prompt: `Ann has 7 pens, buys 5, loses 3. How many?\n`.
/// Completion: one line `a<op>b=c` per step, each intermediate result explicit,
/// then `#### ANSWER`, e.g. `7+5=12\n12-3=9\n#### 9`.
public struct MathProblem: Sendable, Hashable {
  /// The person in the story.
  public var name: String
  /// The things being counted (plural noun).
  public var item: String
  /// The starting count.
  public var start: Int
  /// The 2–4 steps, applied in order.
  public var steps: [MathStep]

  /// Creates a problem.
  public init(name: String, item: String, start: Int, steps: [MathStep]) {
    self.name = name
    self.item = item
    self.start = start
    self.steps = steps
  }

  /// The running total after each step (the last one is the answer).
  public var results: [Int] {
    var value = start
    return steps.map { step in
      value = step.apply(to: value)
      return value
    }
  }

  /// The final answer.
  public var answer: Int { results.last ?? start }

  /// The question text the model conditions on (ends with a newline).
  public var prompt: String {
    let actions = steps.map(\.phrase).joined(separator: ", ")
    return "\(name) has \(start) \(item), \(actions). How many?\n"
  }

  /// The correct step-by-step solution.
  public var completion: String { completion(shownResults: results, answer: answer) }

  /// A solution whose step lines show `shownResults` as their results (each
  /// line's left operand is still the true running total) and whose final line
  /// is `#### answer`: used to build corrupted, dispreferred solutions.
  public func completion(shownResults: [Int], answer: Int) -> String {
    var lines: [String] = []
    var value = start
    for (index, step) in steps.enumerated() {
      let shown = index < shownResults.count ? shownResults[index] : step.apply(to: value)
      lines.append("\(value)\(step.op.rawValue)\(step.operand)=\(shown)")
      value = step.apply(to: value)
    }
    lines.append("#### \(answer)")
    return lines.joined(separator: "\n")
  }

  /// The problem's identity: its arithmetic only (start, operations, operands).
  ///
  /// Two problems that differ only in name, item or verb are the same problem,
  /// so the train/held-out split (by this key) never puts the same sum on both sides.
  public var identityKey: String {
    ([String(start)] + steps.map { "\($0.op.rawValue)\($0.operand)" }).joined(separator: " ")
  }

  /// Whether this problem belongs to the held-out split (a fixed hash of its
  /// identity, independent of any seed: one problem in `MathData.heldOutModulus`).
  public var isHeldOut: Bool {
    StableHash.fnv1a64(identityKey) % MathData.heldOutModulus == 0
  }

  /// The problem as a supervised example.
  public var example: TextExample {
    TextExample(prompt: prompt, completion: completion, answer: String(answer))
  }
}

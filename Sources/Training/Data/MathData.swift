import Foundation

/// The vocabulary, bounds and scoring of the built-in maths data.
///
/// Kept deliberately small so a tiny character-level transformer can learn it
/// on a CPU: ten names, ten items, eight verbs, numbers 0–99, `+ - *`.
public enum MathData {
  /// People in the stories.
  public static let names = ["Ann", "Bob", "Sam", "Tom", "Eve", "Max", "Kim", "Zoe", "Ben", "Amy"]
  /// Things counted (plural nouns).
  public static let items = [
    "pens", "eggs", "cards", "coins", "books", "cups", "toys", "keys", "shells", "stamps",
  ]
  /// Verbs that add their operand.
  public static let addVerbs = ["buys", "finds", "gets"]
  /// Verbs that subtract their operand.
  public static let subtractVerbs = ["loses", "sells", "uses"]
  /// Phrases that multiply, with their factor.
  public static let multiplyPhrases: [(phrase: String, factor: Int)] = [
    ("doubles them", 2), ("triples them", 3),
  ]

  /// Largest value of any number in a problem or solution.
  public static let maxValue = 99
  /// Starting counts are drawn from this range.
  public static let startRange = 1...30
  /// Added or subtracted operands are at most this.
  public static let maxOperand = 20
  /// Number of steps per problem.
  public static let stepRange = 2...4
  /// Upper bound on prompt + completion length in characters (longer draws are
  /// redrawn). 120 keeps 4-step problems common (a cap of 100 would reject
  /// ~80 % of them) and fits a 128-token context with two special tokens.
  public static let maxCharacters = 120
  /// One problem identity in this many is held out (by `StableHash` of its arithmetic).
  public static let heldOutModulus: UInt64 = 10

  /// Every character the built-in maths texts can contain, sorted by scalar value.
  ///
  /// `"\n #*+,-.0123456789=?ABEHKMSTZabcdefghiklmnoprstuvwxy"` (50 characters): a tokenizer covering these covers
  /// every prompt and completion, chosen or rejected, the generators produce.
  public static let alphabet: [Character] = {
    var set = Set<Character>("0123456789+-*=# ,.?\n")
    let words =
      names + items + addVerbs + subtractVerbs + multiplyPhrases.map(\.phrase) + [
        "has", "How many",
      ]
    for word in words { set.formUnion(word) }
    return set.sorted { ($0.asciiValue ?? 0) < ($1.asciiValue ?? 0) }
  }()

  /// `alphabet` as one string.
  public static var alphabetString: String { String(alphabet) }

  /// The final answer in a completion: the text after the last `####`, trimmed
  /// of spaces and newlines; nil when there is no `####` or nothing after it.
  public static func finalAnswer(in completion: String) -> String? {
    guard let marker = completion.range(of: "####", options: .backwards) else { return nil }
    let tail = completion[marker.upperBound...]
    let trimmed = tail.trimmingCharacters(in: .whitespacesAndNewlines)
    return trimmed.isEmpty ? nil : trimmed
  }

  /// Whether a generated completion's final answer equals `answer` exactly.
  public static func isCorrect(completion: String, answer: String) -> Bool {
    finalAnswer(in: completion) == answer.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Task accuracy: the fraction of `completions` whose final answer equals the
  /// matching entry of `answers` (0 for empty input; pairs beyond the shorter list are ignored).
  public static func taskAccuracy(completions: [String], answers: [String]) -> Double {
    let count = min(completions.count, answers.count)
    guard count > 0 else { return 0 }
    var correct = 0
    for index in 0..<count where isCorrect(completion: completions[index], answer: answers[index]) {
      correct += 1
    }
    return Double(correct) / Double(count)
  }
}

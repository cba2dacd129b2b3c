/// Character-level Levenshtein distance, the paper's diagnostic for how alike
/// a preference pair's completions are.
public enum EditDistance {
  /// The minimum number of single-character insertions, deletions and
  /// substitutions turning `a` into `b` (over Unicode scalars). O(n·m) time,
  /// O(min(n, m)) memory: two rows of the dynamic-programming table.
  public static func levenshtein(_ a: String, _ b: String) -> Int {
    var long = Array(a.unicodeScalars)
    var short = Array(b.unicodeScalars)
    if short.count > long.count { swap(&long, &short) }
    if short.isEmpty { return long.count }
    var previous = Array(0...short.count)
    var current = [Int](repeating: 0, count: short.count + 1)
    for i in 1...long.count {
      current[0] = i
      let scalar = long[i - 1]
      for j in 1...short.count {
        let substitution = previous[j - 1] + (scalar == short[j - 1] ? 0 : 1)
        current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
      }
      swap(&previous, &current)
    }
    return previous[short.count]
  }

  /// `levenshtein(a, b)` divided by the longer length (0 when both are empty):
  /// 0 for identical texts, 1 for texts with nothing in common.
  public static func normalized(_ a: String, _ b: String) -> Double {
    let length = max(a.unicodeScalars.count, b.unicodeScalars.count)
    guard length > 0 else { return 0 }
    return Double(levenshtein(a, b)) / Double(length)
  }

  /// Mean normalised edit distance between chosen and rejected over `pairs` (0 when empty).
  public static func mean(_ pairs: [PreferencePair]) -> Double {
    guard !pairs.isEmpty else { return 0 }
    return pairs.reduce(0.0) { $0 + $1.normalizedEditDistance } / Double(pairs.count)
  }
}

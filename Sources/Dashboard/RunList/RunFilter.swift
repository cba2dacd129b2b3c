import RunLog

/// The runs-list filter as typed: words that must all match (`dpop beta=0.1`).
///
/// A word with `=` names a setting (`beta=0.1`, `b=0.1`, `lambda=50`,
/// `objective=dpo`, `seed=2`, or any sweep axis) and matches runs whose
/// value is that one (numbers as numbers: `beta=1` matches 1.0); any other
/// word matches a run whose name, objective, status, path or sweep contains
/// it, or a run whose loss went NaN/Inf when it is part of "diverged".
struct RunFilter: Sendable {
  private enum Term {
    case text(String)
    case setting(key: String, value: String)
  }

  private let terms: [Term]

  /// The filter for the typed `text` (case-insensitive).
  init(_ text: String) {
    terms = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).map { word in
      guard let eq = word.firstIndex(of: "="), eq != word.startIndex else {
        return .text(String(word))
      }
      let key = String(word[..<eq])
      let value = String(word[word.index(after: eq)...])
      return .setting(key: Self.aliases[key] ?? key, value: value)
    }
  }

  /// True when the filter is empty (everything passes).
  var isEmpty: Bool { terms.isEmpty }

  /// Short and Greek spellings of the settings.
  static let aliases: [String: String] = [
    "b": "beta", "β": "beta", "l": "lambda", "lam": "lambda", "λ": "lambda", "o": "objective",
    "obj": "objective", "s": "seed", "lr": "learning_rate",
  ]

  /// True when `run` passes every word.
  func matches(_ run: RunEntry) -> Bool {
    terms.allSatisfy { term in
      switch term {
      case .text(let t): return Self.textMatches(run, t)
      case .setting(let key, let value): return Self.settingMatches(run, key, value)
      }
    }
  }

  private static func textMatches(_ run: RunEntry, _ t: String) -> Bool {
    let m = run.manifest
    return m.name.lowercased().contains(t) || (m.objective?.lowercased().contains(t) ?? false)
      || run.status.rawValue.contains(t) || run.id.lowercased().contains(t)
      || (m.sweepId?.lowercased().contains(t) ?? false)
      || ("diverged".contains(t) && run.diverged())
  }

  private static func settingMatches(_ run: RunEntry, _ key: String, _ value: String) -> Bool {
    let m = run.manifest
    // Numbers compare as numbers, without formatting each run's value.
    let number: Double?
    switch key {
    case "beta": number = m.beta
    case "lambda": number = m.lambda
    case "learning_rate": number = m.learningRate
    case "seed": number = m.seed.map(Double.init)
    case "objective": return m.objective?.lowercased() == value
    default:
      guard let have = m.sweepAxes?.first(where: { $0.key.lowercased() == key })?.value else {
        return false
      }
      if let a = Double(have), let b = Double(value) { return same(a, b) }
      return have.lowercased() == value
    }
    guard let number, let b = Double(value) else { return false }
    return same(number, b)
  }

  private static func same(_ a: Double, _ b: Double) -> Bool {
    guard a.isFinite, b.isFinite else { return a == b }
    return a == b || abs(a - b) <= 1e-9 * max(1, abs(b))
  }
}

import Foundation

/// The parts of a run name (`dpop-b0.1-s2`), so a reader can drop the ones
/// that only repeat a setting shown elsewhere (the objective, β, λ, seed).
///
/// The dashboard drops what its columns show; seed grouping drops the seed
/// to see whether two runs' names differ in anything else.
public struct RunNameParts: Sendable, Equatable {
  /// Words and the separators before them (`-`, `_`, space, `,`, `/`).
  private var words: [(separator: String, word: String)]

  public static func == (a: RunNameParts, b: RunNameParts) -> Bool {
    a.text == b.text
  }

  /// The parts of `name`.
  public init(_ name: String) {
    var words: [(String, String)] = []
    var separator = ""
    var word = ""
    for ch in name {
      if ch == "-" || ch == "_" || ch == " " || ch == "," || ch == "/" {
        // `lr1e-4`: a minus right after an exponent belongs to the number.
        if ch == "-", word.last == "e", word.dropLast().last?.isNumber == true {
          word.append(ch)
          continue
        }
        if !word.isEmpty {
          words.append((separator, word))
          separator = ""
          word = ""
        }
        separator.append(ch)
      } else {
        word.append(ch)
      }
    }
    if !word.isEmpty { words.append((separator, word)) }
    self.words = words
  }

  /// The name again, from the words left.
  public var text: String {
    var out = ""
    for (i, w) in words.enumerated() { out += (i == 0 ? "" : w.separator) + w.word }
    return out
  }

  /// Drops the words that spell one of the given settings: the objective
  /// itself, `b0.1` / `beta0.1` / `beta=0.1` for β, `l50` / `lam50` /
  /// `lambda50` for λ, `s2` / `seed2` for the seed (numbers compared as
  /// numbers, so `b1.0` spells β = 1).
  public func dropping(
    objective: String? = nil, beta: Double? = nil, lambda: Double? = nil, seed: Int? = nil
  ) -> RunNameParts {
    var out = self
    out.words.removeAll { _, word in
      let w = word.lowercased()
      if let objective, w == objective.lowercased() { return true }
      if let beta, Self.spells(w, prefixes: ["beta", "b", "β"], beta) { return true }
      if let lambda, Self.spells(w, prefixes: ["lambda", "lam", "l", "λ"], lambda) { return true }
      if let seed, Self.spells(w, prefixes: ["seed", "s"], Double(seed)) { return true }
      return false
    }
    return out
  }

  /// True when `word` is one of `prefixes`, an optional `=`, then `value`.
  static func spells(_ word: String, prefixes: [String], _ value: Double) -> Bool {
    for p in prefixes where word.hasPrefix(p) {
      var rest = word.dropFirst(p.count)
      if rest.first == "=" { rest = rest.dropFirst() }
      guard let x = Double(rest), x.isFinite else { continue }
      if x == value || abs(x - value) <= 1e-9 * max(1, abs(value)) { return true }
    }
    return false
  }
}

/// Runs that differ only in their seed: one cell of a sweep, trained with
/// several seeds, which readers aggregate (mean, spread) instead of listing.
public enum SeedCell {
  /// The key shared by runs of one cell: the group they are listed under
  /// (their sweep or directory), what was trained (objective, β, λ, learning
  /// rate, steps, data) and the name with its seed dropped. Nil for a run
  /// with no seed: nothing to group.
  public static func key(_ m: RunManifest, group: String) -> String? {
    guard let seed = m.seed else { return nil }
    func n(_ x: Double?) -> String { x.map { "\($0)" } ?? "-" }
    var axes = m.sweepAxes ?? [:]
    axes["seed"] = nil
    let axisText = axes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
      separator: ",")
    let name = RunNameParts(m.name).dropping(seed: seed).text
    return [
      group, m.trainer, m.objective ?? "-", n(m.beta), n(m.lambda), n(m.learningRate),
      m.plannedSteps.map(String.init) ?? "-", m.dataset?.name ?? "-", axisText, name,
    ].joined(separator: "\u{1F}")
  }

  /// The name a cell is shown by: a member's name with the seed dropped.
  public static func name(_ m: RunManifest) -> String {
    guard let seed = m.seed else { return m.name }
    let text = RunNameParts(m.name).dropping(seed: seed).text
    return text.isEmpty ? m.name : text
  }
}

/// Mean, sample standard deviation and range of a few values (one per seed).
public struct SeedStats: Sendable, Equatable {
  public var n: Int
  public var mean: Double
  /// Sample standard deviation (n − 1); 0 for one value.
  public var sd: Double
  public var min: Double
  public var max: Double

  /// The statistics of the finite `values`; nil when there are none.
  public init?(_ values: [Double]) {
    let v = values.filter(\.isFinite)
    guard !v.isEmpty else { return nil }
    n = v.count
    mean = v.reduce(0, +) / Double(v.count)
    let m = mean
    let spread =
      v.count > 1
      ? (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)).squareRoot() : 0
    // Equal values give rounding dust (1e-16), not a spread worth printing.
    sd = spread <= 1e-12 * Swift.max(1, abs(m)) ? 0 : spread
    min = v.min() ?? m
    max = v.max() ?? m
  }
}

/// The metrics screen's key filter: a regular expression searched in each
/// key (case-insensitive), or, when the text is not a valid regex (`*norm`),
/// a glob matched against the whole key (`*` any run, `?` one character).
struct KeyFilter {
  private enum Rule {
    case all
    /// No regex metacharacter: a plain substring search (the common case,
    /// and far cheaper than the regex engine over 500 keys each frame).
    case substring(String)
    case regex(Regex<AnyRegexOutput>)
    case glob([Character])
  }

  private let rule: Rule

  /// Whether the text was read as a glob (it is not a valid regex).
  var isGlob: Bool {
    if case .glob = rule { return true }
    return false
  }

  init(_ text: String) {
    if text.isEmpty {
      rule = .all
    } else if !text.contains(where: { "\\^$.|?*+()[]{}".contains($0) }) {
      rule = .substring(text.lowercased())
    } else if let r = try? Regex(text) {
      rule = .regex(r.ignoresCase())
    } else {
      rule = .glob(Array(text.lowercased()))
    }
  }

  func matches(_ key: String) -> Bool {
    switch rule {
    case .all: return true
    case .substring(let s): return key.lowercased().contains(s)
    case .regex(let r): return (try? r.firstMatch(in: key)) != nil
    case .glob(let pattern): return Self.glob(pattern, Array(key.lowercased()))
    }
  }

  /// Whole-string glob match, iterative with one backtrack point per `*`.
  static func glob(_ p: [Character], _ s: [Character]) -> Bool {
    var i = 0
    var j = 0
    var star: Int?
    var mark = 0
    while j < s.count {
      if i < p.count && (p[i] == "?" || p[i] == s[j]) {
        i += 1
        j += 1
      } else if i < p.count && p[i] == "*" {
        star = i
        mark = j
        i += 1
      } else if let st = star {
        i = st + 1
        mark += 1
        j = mark
      } else {
        return false
      }
    }
    while i < p.count && p[i] == "*" { i += 1 }
    return i == p.count
  }
}

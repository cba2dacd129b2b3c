/// Reads the plain-text theme format described in docs/themes.md.
///
/// One setting per line, `theme[KEY]="VALUE"`, `#` starts a comment. KEY is a
/// slot (`axis`, `series3`, ...) optionally followed by `.256` or `.16` for
/// the index used on 256- and 16-colour terminals. Unknown keys are warnings
/// (a newer theme still loads); anything the file leaves out comes from the
/// base theme. Malformed lines and values are errors naming file, line, key.
public enum ThemeParser {
  /// The parsed theme and the warnings met on the way.
  public struct Result: Sendable, Equatable {
    public var theme: Theme
    public var warnings: [ThemeError]
  }

  /// Which colour of a slot a key sets.
  enum Variant { case rgb, index256, index16 }

  /// Parses `text` (from `path`) into a theme named `name`, filling gaps from `base`.
  public static func parse(
    _ text: String, path: String, name: String, base: Theme = .builtin
  ) throws(ThemeError) -> Result {
    var rgb: [ThemeSlot: UInt32?] = [:]
    var idx256: [ThemeSlot: Int] = [:]
    var idx16: [ThemeSlot: Int] = [:]
    var indexLine: [ThemeSlot: Int] = [:]
    var warnings: [ThemeError] = []
    var seen = Set<String>()
    var lineNumber = 0
    for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
      lineNumber += 1
      let line = rawLine.themeTrimmed()
      if line.isEmpty || line.hasPrefix("#") { continue }
      let (key, value) = try splitAssignment(line, path: path, line: lineNumber)
      if !seen.insert(key).inserted {
        warnings.append(
          ThemeError(path: path, line: lineNumber, key: key, reason: "set again; the last one wins")
        )
      }
      if key == "name" { continue }
      guard let (slot, variant) = slotAndVariant(key) else {
        warnings.append(
          ThemeError(path: path, line: lineNumber, key: key, reason: "unknown key, ignored"))
        continue
      }
      func fail(_ reason: String) -> ThemeError {
        ThemeError(path: path, line: lineNumber, key: key, reason: reason)
      }
      switch variant {
      case .rgb:
        if value.isEmpty {
          rgb[slot] = .some(nil)
        } else {
          guard let v = parseHex(value) else {
            throw fail("'\(value.prefix(40))' is not a colour: expected \"#RRGGBB\" or \"\"")
          }
          rgb[slot] = .some(v)
        }
      case .index256:
        guard let v = Int(value), (0...255).contains(v) else {
          throw fail("'\(value.prefix(40))' is not a 256-colour index: expected 0...255")
        }
        idx256[slot] = v
        indexLine[slot] = lineNumber
      case .index16:
        guard let v = parseIndex16(value) else {
          throw fail(
            "'\(value.prefix(40))' is not a 16-colour value: expected 0...15 or a name "
              + "like red, bright_blue")
        }
        idx16[slot] = v
        indexLine[slot] = lineNumber
      }
    }
    var colors = base.colors
    for slot in ThemeSlot.allCases {
      let explicit256 = idx256[slot]
      let explicit16 = idx16[slot]
      let hasIndex = explicit256 != nil || explicit16 != nil
      if let setting = rgb[slot] {
        colors[slot] = setting.map {
          ThemeColor(rgb: $0, index256: explicit256, index16: explicit16)
        }
      } else if hasIndex, var c = colors[slot] {
        if let explicit256 { c.index256 = explicit256 }
        if let explicit16 { c.index16 = explicit16 }
        colors[slot] = c
      }
      if hasIndex && colors[slot] == nil {
        // "" (the terminal's own colour) has no index to override.
        warnings.append(
          ThemeError(
            path: path, line: indexLine[slot] ?? lineNumber, key: slot.rawValue,
            reason: "has a 256/16-colour index but no \"#RRGGBB\" colour; index ignored"))
      }
    }
    return Result(theme: Theme(name: name, colors: colors), warnings: warnings)
  }

  /// Splits `theme[KEY]="VALUE"` (quotes optional, trailing `# comment` allowed).
  static func splitAssignment(_ line: Substring, path: String, line n: Int) throws(ThemeError)
    -> (String, String)
  {
    guard line.hasPrefix("theme["), let close = line.firstIndex(of: "]") else {
      throw ThemeError(
        path: path, line: n, key: nil,
        reason: "expected theme[KEY]=\"VALUE\", found '\(line.prefix(40))'")
    }
    let key = String(line[line.index(line.startIndex, offsetBy: 6)..<close]).lowercased()
    var rest = line[line.index(after: close)...].themeTrimmed()
    guard rest.hasPrefix("=") else {
      throw ThemeError(path: path, line: n, key: key, reason: "expected '=' after theme[\(key)]")
    }
    rest = rest.dropFirst().themeTrimmed()
    var value: Substring
    if rest.hasPrefix("\"") {
      let body = rest.dropFirst()
      guard let end = body.firstIndex(of: "\"") else {
        throw ThemeError(path: path, line: n, key: key, reason: "value has no closing quote")
      }
      value = body[..<end]
      let after = body[body.index(after: end)...].themeTrimmed()
      guard after.isEmpty || after.hasPrefix("#") else {
        throw ThemeError(
          path: path, line: n, key: key,
          reason: "unexpected text after the value: '\(after.prefix(40))'")
      }
    } else {
      value = rest
      if let hash = value.firstIndex(of: "#"), hash != value.startIndex {
        value = value[..<hash]
      }
    }
    return (key, String(value.themeTrimmed()))
  }

  /// The slot and variant a key names (`axis`, `axis.256`, `axis.16`), if known.
  static func slotAndVariant(_ key: String) -> (ThemeSlot, Variant)? {
    var base = Substring(key)
    var variant = Variant.rgb
    if key.hasSuffix(".256") {
      base = base.dropLast(4)
      variant = .index256
    } else if key.hasSuffix(".16") {
      base = base.dropLast(3)
      variant = .index16
    }
    guard let slot = ThemeSlot(rawValue: String(base)) else { return nil }
    return (slot, variant)
  }

  /// `#RRGGBB` or `#RGB` as 0xRRGGBB.
  static func parseHex(_ text: String) -> UInt32? {
    guard text.hasPrefix("#") else { return nil }
    let digits = text.dropFirst()
    guard digits.count == 6 || digits.count == 3, digits.allSatisfy(\.isHexDigit),
      var v = UInt32(digits, radix: 16)
    else { return nil }
    if digits.count == 3 {
      let r = (v >> 8) & 0xF
      let g = (v >> 4) & 0xF
      let b = v & 0xF
      v = (r * 17) << 16 | (g * 17) << 8 | b * 17
    }
    return v
  }

  /// The ANSI colour names, in index order (`bright_` adds 8).
  static let colorNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

  /// `0...15` or a colour name (`red`, `bright_red`).
  static func parseIndex16(_ text: String) -> Int? {
    if let v = Int(text) { return (0...15).contains(v) ? v : nil }
    let lower = text.lowercased()
    for (i, name) in colorNames.enumerated() {
      if lower == name { return i }
      if lower == "bright_" + name { return i + 8 }
    }
    return nil
  }
}

extension StringProtocol {
  /// The text without leading and trailing spaces, tabs and carriage returns.
  func themeTrimmed() -> SubSequence {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
    guard let first = firstIndex(where: { !isSpace($0) }) else { return self[endIndex...] }
    var last = index(before: endIndex)
    while isSpace(self[last]) { last = index(before: last) }
    return self[first...last]
  }
}

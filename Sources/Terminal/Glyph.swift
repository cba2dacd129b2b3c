import Dashboard

/// What to write for one cell's character: never a control character, and
/// only ASCII (plus line-drawing stand-ins) when the locale is not UTF-8.
enum Glyph: Equatable {
  /// Unicode scalars to pass to `setcchar` (base character + combining marks).
  case scalars([UInt32])
  /// A line-drawing character from the terminal's alternate character set
  /// (the ACS letter: `q` is a horizontal line), for non-UTF-8 locales.
  case lineDrawing(UInt8)

  /// Box-drawing characters and their ACS letters.
  static let acs: [Character: UInt8] = [
    "─": 0x71, "━": 0x71, "│": 0x78, "┃": 0x78, "┌": 0x6C, "╭": 0x6C, "┐": 0x6B, "╮": 0x6B,
    "└": 0x6D, "╰": 0x6D, "┘": 0x6A, "╯": 0x6A, "├": 0x74, "┤": 0x75, "┬": 0x77, "┴": 0x76,
    "┼": 0x6E, "·": 0x7E, "°": 0x66, "▒": 0x61, "█": 0x30,
  ]

  /// The glyph for `char`; `utf8` says whether the locale can show Unicode.
  static func of(_ char: Character, utf8: Bool) -> Glyph {
    let scalars = char.unicodeScalars
    guard let first = scalars.first else { return .scalars([0x20]) }
    if first.value < 0x20 || (0x7F...0x9F).contains(first.value) {
      // Controls never reach the terminal (they would move the cursor or
      // start an escape sequence): show a visible stand-in.
      return .scalars([0x3F])
    }
    if first.value < 0x7F && (scalars.count == 1 || !utf8) { return .scalars([first.value]) }
    if !utf8 {
      if let letter = acs[char] { return .lineDrawing(letter) }
      return .scalars([0x3F])
    }
    // Base plus at most four combining marks (ncurses' CCHARW_MAX is 5).
    var out: [UInt32] = []
    for s in scalars.prefix(5) {
      if s.value < 0x20 || (0x7F...0x9F).contains(s.value) { continue }
      out.append(s.value)
    }
    return .scalars(out.isEmpty ? [0x3F] : out)
  }
}

/// `text` as the terminal shows it under a locale that is not UTF-8
/// (`Glyph.of` with `utf8: false`), for text output such as `dpotop render`:
/// ASCII stays, line drawing becomes `-`, `|` or `+`, anything else `?`.
public func asciiFallback(_ text: String) -> String {
  var out = ""
  for char in text {
    if char == "\n" {
      out.append(char)
      continue
    }
    switch Glyph.of(char, utf8: false) {
    case .scalars(let s): out.unicodeScalars.append(contentsOf: s.compactMap(Unicode.Scalar.init))
    case .lineDrawing(0x71): out.append("-")
    case .lineDrawing(0x78): out.append("|")
    case .lineDrawing: out.append("+")
    }
  }
  return out
}

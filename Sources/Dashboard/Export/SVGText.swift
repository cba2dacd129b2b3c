/// Text and numbers as figures write them: escaped for XML, coordinates
/// with a fixed number of decimals (the same runs give the same bytes).
enum SVGText {
  /// `text` safe inside XML text or a double-quoted attribute. Controls
  /// (not allowed in XML at all) show as visible escapes, as on screen.
  static func escape(_ text: String) -> String {
    var out = ""
    for ch in String(SafeText(text).columns.filter { $0 != Cell.continuationChar }) {
      switch ch {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      default: out.append(ch)
      }
    }
    return out
  }

  /// A coordinate: at most two decimals, no trailing zeros (`12.5`, `-3`).
  static func num(_ v: Double) -> String {
    guard v.isFinite else { return "0" }
    let s = NumberFormat.trimZero(NumberFormat.fixed(v, 2))
    return s == "-0" ? "0" : s
  }

  /// A generous estimate of `text`'s width at `size` px in a sans-serif
  /// face (no font metrics here): layouts use it so nothing is cut off.
  static func width(_ text: String, size: Double) -> Double {
    var w = 0.0
    for ch in text {
      if ch == " " || ch == "." || ch == "," || ch == "i" || ch == "l" || ch == "|" {
        w += 0.32
      } else if ch.isUppercase || ch == "m" || ch == "w" || ch == "—" || ch == "−" {
        w += 0.8
      } else {
        w += 0.6
      }
    }
    return w * size
  }

  /// The font stack: common system faces, then the generic family, so a
  /// figure embeds or fetches no font.
  static let sans = "DejaVu Sans, Helvetica, Arial, sans-serif"
  static let mono = "DejaVu Sans Mono, Menlo, Consolas, monospace"
}

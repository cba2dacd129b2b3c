/// A string from outside (a file, a manifest, a log) made safe for the grid.
///
/// Every string that did not come from dpotop's own literals goes through
/// here before reaching a cell, so a run named `"\u{1B}]0;pwned\u{07}"` shows
/// as the text `\x1b]0;pwned\x07` and can never move the cursor, retitle the
/// window or reorder the line. The rules:
/// - C0 controls, DEL and C1 controls become `\xHH`;
/// - bidi embeddings, overrides, isolates and marks and the line/paragraph
///   separators become `\u{HHHH}`;
/// - invalid UTF-8 was already decoded to U+FFFD and shows as `�`;
/// - wide characters take two cells (the second holds
///   `Cell.continuationChar`); zero-width ones on their own are dropped, and
///   combining marks stay inside their grapheme, so alignment holds.
public struct SafeText: Sendable, Equatable {
  /// One entry per terminal column: a grapheme, or the continuation marker
  /// after a wide one.
  public private(set) var columns: [Character]

  /// Sanitizes `raw`, reading only as far as `limit` columns (so a
  /// megabyte-long run name costs a screen line's worth of work per frame;
  /// `truncated(to:)` still sees that there was more).
  public init(_ raw: String, limit: Int = Int.max) {
    columns = []
    columns.reserveCapacity(min(raw.utf8.count, limit &+ 16))
    for c in raw {
      if columns.count > limit { break }
      if c.unicodeScalars.allSatisfy(Self.isSafe) {
        append(c)
      } else {
        // Split the grapheme: escapes for the unsafe scalars, the rest kept.
        for s in c.unicodeScalars {
          if Self.isSafe(s) { append(Character(s)) } else { appendEscape(s) }
        }
      }
    }
  }

  /// Columns the text takes.
  public var width: Int { columns.count }

  /// The text as the terminal shows it (continuation markers removed).
  public var displayString: String {
    String(columns.filter { $0 != Cell.continuationChar })
  }

  /// The text cut to at most `maxWidth` columns, ending in `…` when cut; a
  /// wide character is never split in half.
  public func truncated(to maxWidth: Int, ellipsis: Character = "…") -> SafeText {
    guard width > maxWidth else { return self }
    var out = self
    guard maxWidth > 0 else {
      out.columns = []
      return out
    }
    var keep = maxWidth - 1
    // Do not keep the first half of a wide character without its second.
    if keep > 0, keep < columns.count, columns[keep] == Cell.continuationChar { keep -= 1 }
    out.columns = Array(columns[0..<keep]) + [ellipsis]
    return out
  }

  /// Replaces the columns with ones taken from this text (already safe).
  mutating func replaceColumns(_ new: [Character]) {
    columns = new
  }

  /// Appends columns taken from another `SafeText` (already safe).
  mutating func append(columns more: [Character]) {
    columns.append(contentsOf: more)
  }

  /// True when a scalar may reach the terminal as itself.
  static func isSafe(_ s: Unicode.Scalar) -> Bool {
    let v = s.value
    if v < 0x20 || v == 0x7F || (v >= 0x80 && v < 0xA0) { return false }
    if (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) { return false }
    if v == 0x200E || v == 0x200F || v == 0x061C || v == 0x2028 || v == 0x2029 { return false }
    return true
  }

  private mutating func append(_ c: Character) {
    switch CharWidth.width(of: c) {
    case 0: return
    case 2:
      columns.append(c)
      columns.append(Cell.continuationChar)
    default: columns.append(c)
    }
  }

  private mutating func appendEscape(_ s: Unicode.Scalar) {
    let v = s.value
    let hex = String(v, radix: 16)
    let text =
      v < 0x100 ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex : "\\u{\(hex)}"
    columns.append(contentsOf: text.map { $0 })
  }
}

extension SafeText: ExpressibleByStringLiteral {
  /// Literals are sanitized too: they are cheap, and one path is simpler to trust.
  public init(stringLiteral value: String) { self.init(value) }
}

extension SafeText {
  /// Run names longer than this are cut to their first and last
  /// `longNameKeep` characters before sanitizing: a megabyte-long name costs
  /// a screen line's work per frame, and its middle would be cut anyway.
  static let longNameKeep = 512

  /// `raw` sanitized and cut to at most `maxWidth` columns in the middle,
  /// keeping its start and its end (where run names differ: `-s1`, `-s2`).
  static func middleCut(_ raw: String, to maxWidth: Int, ellipsis: Character = "…") -> SafeText {
    let keep = longNameKeep
    let text =
      raw.utf8.count > 8 * keep ? String(raw.prefix(keep)) + String(raw.suffix(keep)) : raw
    let full = SafeText(text)
    guard full.width > maxWidth else { return full }
    guard maxWidth > 1 else { return full.truncated(to: maxWidth, ellipsis: ellipsis) }
    var head = (maxWidth - 1 + 1) / 2
    var tail = maxWidth - 1 - head
    // Never keep half of a wide character at either cut.
    if head < full.columns.count, full.columns[head] == Cell.continuationChar { head -= 1 }
    if tail > 0, full.columns[full.columns.count - tail] == Cell.continuationChar { tail -= 1 }
    var out = full
    out.replaceColumns(
      Array(full.columns[0..<head]) + [ellipsis]
        + Array(full.columns[(full.columns.count - tail)...]))
    return out
  }
}

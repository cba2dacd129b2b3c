extension Theme {
  /// The theme as theme-file text: every slot, with explicit `.256` and `.16`
  /// indices, so parsing it back gives the same theme on any base.
  ///
  /// Slots the theme leaves at the terminal's own colour are written as `""`.
  public var fileText: String {
    var lines = ["# dpotop theme: \(name)", "theme[name]=\"\(name)\""]
    for slot in ThemeSlot.allCases {
      guard let c = colors[slot] else {
        lines.append("theme[\(slot.rawValue)]=\"\"")
        continue
      }
      lines.append("theme[\(slot.rawValue)]=\"#\(Palette.hex(c.rgb))\"")
      lines.append("theme[\(slot.rawValue).256]=\"\(c.index256)\"")
      lines.append("theme[\(slot.rawValue).16]=\"\(c.index16)\"")
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

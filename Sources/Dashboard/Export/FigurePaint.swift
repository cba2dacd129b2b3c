/// Where a figure's colours come from: a theme's colours written out (a
/// standalone SVG file), or CSS variables named after the theme slots (SVG
/// inline in the report, whose stylesheet sets them for light, dark and
/// print, so one figure serves all three).
public enum FigurePaint: Sendable {
  case theme(Theme)
  case cssVariables

  /// The colour of `role` as an SVG/CSS paint value.
  func color(_ role: ColorRole) -> String {
    let slot = ThemeSlot.slots(for: role).0
    switch self {
    case .theme(let theme):
      if let c = theme.colors[slot] { return "#" + Palette.hex(c.rgb) }
      // A slot the theme leaves to the terminal: its normal text colour.
      return theme.colors[.normal].map { "#" + Palette.hex($0.rgb) } ?? "#000000"
    case .cssVariables:
      return "var(" + Self.variable(slot) + ")"
    }
  }

  /// The page background.
  var background: String {
    switch self {
    case .theme(let theme): return Self.background(theme)
    case .cssVariables: return "var(" + Self.variable(.background) + ")"
    }
  }

  /// The CSS variable of `slot` (`--dpo-series0`).
  static func variable(_ slot: ThemeSlot) -> String { "--dpo-" + slot.rawValue }

  /// `theme`'s background; a theme that keeps the terminal's own (the dark
  /// one) gets near-black or white, whichever its text is drawn against.
  static func background(_ theme: Theme) -> String {
    if let bg = theme.colors[.background] { return "#" + Palette.hex(bg.rgb) }
    let fg = theme.colors[.normal]?.rgb ?? 0
    let luma = (299 * ((fg >> 16) & 0xFF) + 587 * ((fg >> 8) & 0xFF) + 114 * (fg & 0xFF)) / 1000
    return luma > 128 ? "#121212" : "#FFFFFF"
  }

  /// CSS declarations setting every slot's variable from `theme`.
  static func declarations(_ theme: Theme) -> String {
    var out = variable(.background) + ":" + background(theme) + ";"
    for slot in ThemeSlot.allCases where slot != .background {
      out += variable(slot) + ":" + FigurePaint.theme(theme).color(slotRole(slot)) + ";"
    }
    return out
  }

  /// A role drawn in `slot` (the inverse of `ThemeSlot.slots(for:)`, for
  /// the foreground slots figures use).
  private static func slotRole(_ slot: ThemeSlot) -> ColorRole {
    if let i = ThemeSlot.series.firstIndex(of: slot) { return .series(i) }
    if let i = ThemeSlot.diverging.firstIndex(of: slot) { return .diverging(i - 3) }
    let roles: [ColorRole] = [
      .normal, .dim, .title, .border, .borderFocused, .axis, .grid, .zeroLine, .selection,
      .statusBar, .good, .warning, .bad, .accent,
    ]
    return roles.first { ThemeSlot.slots(for: $0).0 == slot } ?? .normal
  }
}

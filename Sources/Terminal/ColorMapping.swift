import Dashboard

/// How many colours the terminal can show, and so which of a theme's values to use.
public enum ColorDepth: Sendable, Equatable, CustomStringConvertible {
  /// No colour: roles become attributes (bold, reverse, dim).
  case none
  /// The 8 basic colours; bright ones become the basic colour in bold.
  case ansi8
  /// The 16 ANSI colours.
  case ansi16
  /// The xterm 256-colour palette.
  case xterm256
  /// 24-bit colour numbers (terminfo `RGB`, e.g. TERM=xterm-direct).
  case direct

  /// Picks the depth for a terminal reporting `colors` colours.
  public static func detect(colors: Int, hasColors: Bool, direct: Bool, noColor: Bool)
    -> ColorDepth
  {
    if noColor || !hasColors || colors < 8 { return .none }
    if direct && colors >= 0x100_0000 { return .direct }
    if colors >= 256 { return .xterm256 }
    if colors >= 16 { return .ansi16 }
    return .ansi8
  }

  public var description: String {
    switch self {
    case .none: "no colour"
    case .ansi8: "8 colours"
    case .ansi16: "16 colours"
    case .xterm256: "256 colours"
    case .direct: "24-bit colour"
    }
  }
}

/// The colour pairs a theme needs at a colour depth, and how each `Style`
/// is drawn with them. Pure: `Terminal` turns the result into ncurses calls.
public struct ColorMapping: Sendable, Equatable {
  /// One colour pair: foreground and background colour numbers (-1: terminal default).
  public struct Pair: Sendable, Hashable {
    public var fg: Int
    public var bg: Int
  }

  /// Attribute flags, independent of ncurses' bit values.
  public struct Attributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = Attributes(rawValue: 1)
    public static let dim = Attributes(rawValue: 2)
    public static let reverse = Attributes(rawValue: 4)
    public static let underline = Attributes(rawValue: 8)
  }

  /// The roles that get a pair each, in pair order (pair n + 1 is `roles[n]`).
  public static let roles: [ColorRole] =
    [
      .normal, .dim, .title, .border, .borderFocused, .axis, .grid, .zeroLine, .selection,
      .statusBar, .good, .warning, .bad, .accent,
    ] + (0..<Theme.seriesCount).map { ColorRole.series($0) }
    + ColorRole.divergingLevels.map { ColorRole.diverging($0) }

  public let depth: ColorDepth
  /// Pairs to initialise: `pairs[i]` is pair number `i + 1`. Empty without colour.
  public let pairs: [Pair]
  /// Extra attributes per role (bold for bright colours on 8-colour terminals,
  /// and the stand-ins for colour when there is none).
  private let roleAttributes: [ColorRole: Attributes]

  /// The mapping of `theme` at `depth`. `defaultColors` says whether the
  /// terminal takes -1 as "its own colour" (`use_default_colors`); without
  /// it an unset background is black and an unset foreground white.
  public init(theme: Theme, depth: ColorDepth, defaultColors: Bool = true) {
    self.depth = depth
    var pairs: [Pair] = []
    var attrs: [ColorRole: Attributes] = [:]
    for role in Self.roles {
      if depth == .none {
        attrs[role] = Self.monochrome(role)
        continue
      }
      let (fg, bg) = theme.colors(for: role)
      var extra: Attributes = []
      var f = Self.number(fg, depth, bright: &extra)
      var ignored: Attributes = []
      var b = Self.number(bg, depth, bright: &ignored)
      if !defaultColors {
        if f < 0 { f = 7 }
        if b < 0 { b = 0 }
      }
      pairs.append(Pair(fg: f, bg: b))
      attrs[role] = extra
    }
    self.pairs = pairs
    self.roleAttributes = attrs
  }

  /// The pair number (0: none) and attributes to draw `style` with.
  public func resolve(_ style: Style) -> (pair: Int, attributes: Attributes) {
    var role = style.role
    if case .series(let n) = role {
      role = .series(((n % Theme.seriesCount) + Theme.seriesCount) % Theme.seriesCount)
    }
    if case .diverging(let l) = role {
      role = .diverging(
        min(max(l, ColorRole.divergingLevels.lowerBound), ColorRole.divergingLevels.upperBound))
    }
    var a = roleAttributes[role] ?? []
    if style.bold { a.insert(.bold) }
    if style.dim { a.insert(.dim) }
    if style.reverse { a.formSymmetricDifference(.reverse) }
    if style.underline { a.insert(.underline) }
    guard depth != .none, let i = Self.roles.firstIndex(of: role) else { return (0, a) }
    return (i + 1, a)
  }

  /// The colour number of `color` at `depth` (-1: the terminal's own colour).
  static func number(_ color: ThemeColor?, _ depth: ColorDepth, bright: inout Attributes) -> Int {
    guard let color else { return -1 }
    switch depth {
    case .none: return -1
    case .ansi8:
      if color.index16 >= 8 { bright.insert(.bold) }
      return color.index16 % 8
    case .ansi16: return color.index16
    case .xterm256: return color.index256
    case .direct: return Int(color.rgb)
    }
  }

  /// How a role stands out with no colour at all.
  static func monochrome(_ role: ColorRole) -> Attributes {
    switch role {
    case .title, .borderFocused, .bad, .warning: return .bold
    case .selection, .statusBar: return .reverse
    case .dim, .grid: return .dim
    case .zeroLine, .accent: return .underline
    // The token view draws a glyph row for the scale when there is no colour.
    case .diverging(let l): return abs(l) == 3 ? .bold : []
    default: return []
    }
  }
}

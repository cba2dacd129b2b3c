/// A colour role from the theme. Views say *what* a cell is (an axis, the
/// chosen series of run 2, a warning), the theme says which colour that is,
/// and the terminal maps it onto what the terminal can show.
public enum ColorRole: Sendable, Hashable {
  /// The terminal's default foreground/background.
  case normal
  case dim
  case title
  case border
  case borderFocused
  case axis
  case grid
  case zeroLine
  case selection
  case statusBar
  case good
  case warning
  case bad
  case accent
  /// The colour of the n-th run overlaid in a chart (cycles through the theme's palette).
  case series(Int)
  /// A level of the diverging scale of the token view: −3 (falling most)
  /// through 0 (unchanged) to +3 (rising most); clamped to that range.
  case diverging(Int)

  /// The diverging levels, falling to rising.
  public static let divergingLevels = -3...3
}

/// How one cell looks: a colour role plus attributes.
public struct Style: Sendable, Hashable {
  public var role: ColorRole
  public var bold: Bool
  public var reverse: Bool
  public var underline: Bool
  /// Dimmed variant of the role (the reference-model lines).
  public var dim: Bool

  /// A style of `role` with the given attributes.
  public init(
    _ role: ColorRole = .normal, bold: Bool = false, reverse: Bool = false,
    underline: Bool = false, dim: Bool = false
  ) {
    self.role = role
    self.bold = bold
    self.reverse = reverse
    self.underline = underline
    self.dim = dim
  }

  /// The default style.
  public static let plain = Style()
}

/// One cell of the screen: a character and its style.
///
/// `char` is a single grapheme that occupies one column. A wide character
/// (two columns) is stored in its first cell, and the second cell holds the
/// `continuation` marker so the grid stays aligned.
public struct Cell: Sendable, Hashable {
  public var char: Character
  public var style: Style

  /// A cell showing `char` in `style`.
  public init(_ char: Character = " ", _ style: Style = .plain) {
    self.char = char
    self.style = style
  }

  /// Marker for the second column of a wide character.
  public static let continuationChar: Character = "\u{0}"
  /// A blank cell.
  public static let blank = Cell()
}

/// A colour theme: which colour each `ColorRole` is drawn in.
///
/// Views only name roles; the terminal asks the theme for the colours of a
/// role and maps them onto what the terminal can show. A theme is a plain
/// value read from a `.theme` file (see docs/themes.md) or built in.
public struct Theme: Sendable, Equatable {
  /// How many series colours a theme has; `ColorRole.series(n)` cycles through them.
  public static let seriesCount = 8

  /// The theme's name (its file name without `.theme`).
  public var name: String
  /// Colour of every slot the theme sets; `nil` means the terminal's default.
  public var colors: [ThemeSlot: ThemeColor]

  /// A theme with the given colours.
  public init(name: String, colors: [ThemeSlot: ThemeColor]) {
    self.name = name
    self.colors = colors
  }

  /// The foreground and background colours of `role` (nil: the terminal default).
  public func colors(for role: ColorRole) -> (fg: ThemeColor?, bg: ThemeColor?) {
    let (fgSlot, bgSlot) = ThemeSlot.slots(for: role)
    let bg = bgSlot.flatMap { colors[$0] } ?? colors[.background]
    return (colors[fgSlot], bg)
  }
}

/// A named colour slot of a theme file: `theme[<rawValue>]`.
public enum ThemeSlot: String, Sendable, Hashable, CaseIterable {
  /// Screen background (empty: the terminal's own background).
  case background
  case normal
  case dim
  case title
  case border
  case borderFocused = "border_focused"
  case axis
  case grid
  case zeroLine = "zero_line"
  case selection
  case selectionBackground = "selection_bg"
  case statusBar = "status_bar"
  case statusBarBackground = "status_bar_bg"
  case good
  case warning
  case bad
  case accent
  case series0, series1, series2, series3, series4, series5, series6, series7
  /// The token view's diverging scale, from falling most to rising most.
  case deltaFall3 = "delta_fall3"
  case deltaFall2 = "delta_fall2"
  case deltaFall1 = "delta_fall1"
  case deltaFlat = "delta_flat"
  case deltaRise1 = "delta_rise1"
  case deltaRise2 = "delta_rise2"
  case deltaRise3 = "delta_rise3"

  /// The series slots, in palette order.
  public static let series: [ThemeSlot] = [
    .series0, .series1, .series2, .series3, .series4, .series5, .series6, .series7,
  ]

  /// The diverging slots, in level order (−3 … +3).
  public static let diverging: [ThemeSlot] = [
    .deltaFall3, .deltaFall2, .deltaFall1, .deltaFlat, .deltaRise1, .deltaRise2, .deltaRise3,
  ]

  /// Slots that are backgrounds; they may be left empty (terminal default).
  public var isBackground: Bool {
    self == .background || self == .selectionBackground || self == .statusBarBackground
  }

  /// The foreground slot and the background slot (if the role has its own) of `role`.
  public static func slots(for role: ColorRole) -> (ThemeSlot, ThemeSlot?) {
    switch role {
    case .normal: return (.normal, nil)
    case .dim: return (.dim, nil)
    case .title: return (.title, nil)
    case .border: return (.border, nil)
    case .borderFocused: return (.borderFocused, nil)
    case .axis: return (.axis, nil)
    case .grid: return (.grid, nil)
    case .zeroLine: return (.zeroLine, nil)
    case .selection: return (.selection, .selectionBackground)
    case .statusBar: return (.statusBar, .statusBarBackground)
    case .good: return (.good, nil)
    case .warning: return (.warning, nil)
    case .bad: return (.bad, nil)
    case .accent: return (.accent, nil)
    case .series(let n):
      let i = ((n % Theme.seriesCount) + Theme.seriesCount) % Theme.seriesCount
      return (series[i], nil)
    case .diverging(let level):
      let l = min(
        max(level, ColorRole.divergingLevels.lowerBound), ColorRole.divergingLevels.upperBound)
      return (diverging[l + 3], nil)
    }
  }
}

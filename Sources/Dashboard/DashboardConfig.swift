/// How charts draw their lines.
public enum GlyphMode: Sendable, Equatable {
  /// Braille dots, 2×4 per cell (needs a UTF-8 locale).
  case braille
  /// Plain ASCII: one marker per cell, box drawn with `+-|`.
  case ascii
}

/// Whether the dashboard follows runs as they grow or plays one back.
public enum DashboardMode: Sendable, Equatable {
  case live
  case replay
}

/// What the dashboard is started with: fixed for the whole session.
public struct DashboardConfig: Sendable, Equatable {
  /// Braille or ASCII glyphs.
  public var glyphs: GlyphMode
  /// True when colour is off (`NO_COLOR`, `--no-color`): series then differ by dash pattern or marker.
  public var noColor: Bool
  /// The mode to start in.
  public var mode: DashboardMode
  /// Terminal size at start, in cells.
  public var width: Int
  public var height: Int
  /// The watched directories, for the status line (`./runs`, `sample-runs/`).
  public var roots: String
  /// Theme names the `T` key cycles through (first = the one in use); when
  /// empty, `T` asks for `.setTheme("next")`.
  public var themes: [String]
  /// Why runs cannot be launched, cancelled or resumed from this dashboard
  /// (a remote view), or nil when they can.
  public var readOnly: String?
  /// The colours of figures written with `e` (the app sets the light theme:
  /// figures go on paper and slides, whatever the terminal's background).
  public var figureTheme: Theme = .builtin
  /// Charts across on the metrics screen (nil: as many as fit).
  public var metricsColumns: Int?

  /// A configuration; every field has the default a plain `dpotop` starts with.
  public init(
    glyphs: GlyphMode = .braille, noColor: Bool = false, mode: DashboardMode = .live,
    width: Int = 80, height: Int = 24, roots: String = "", themes: [String] = []
  ) {
    self.glyphs = glyphs
    self.noColor = noColor
    self.mode = mode
    self.width = width
    self.height = height
    self.roots = roots
    self.themes = themes
    readOnly = nil
  }
}

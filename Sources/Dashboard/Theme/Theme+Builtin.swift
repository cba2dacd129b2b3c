/// The built-in theme, so an install without theme files still has colours.
///
/// Its text is `themes/dark.theme` verbatim (a test keeps the two equal), and
/// it is what every other theme falls back to for the slots it leaves out.
extension Theme {
  /// The default theme (`dark`).
  public static let builtin: Theme = {
    let empty = Theme(name: "dark", colors: [:])
    // The text is a constant checked by ThemeTests.builtinParsesCleanly; an
    // empty theme (terminal default colours) is the only possible fallback.
    return (try? ThemeParser.parse(builtinText, path: "<built-in>", name: "dark", base: empty))?
      .theme ?? empty
  }()

  /// The text of the built-in theme (`themes/dark.theme`).
  public static let builtinText = """
    # dpotop theme: dark (the built-in default).
    # Format: docs/themes.md. theme[SLOT]="#RRGGBB" sets a colour; SLOT.256 and
    # SLOT.16 give the index used on 256- and 16-colour terminals (derived from
    # the #RRGGBB value when left out). "" means the terminal's own colour.

    theme[name]="dark"

    # Screen: keep the terminal's own background.
    theme[background]=""
    theme[normal]="#D0D0D0"
    theme[normal.16]="7"
    theme[dim]="#808080"
    theme[dim.16]="8"
    theme[title]="#5FAFFF"
    theme[title.16]="12"
    theme[border]="#5F5F87"
    theme[border.16]="4"
    theme[border_focused]="#87AFFF"
    theme[border_focused.16]="12"

    # Charts.
    theme[axis]="#8A8A8A"
    theme[axis.16]="8"
    theme[grid]="#3A3A3A"
    theme[grid.16]="8"
    theme[zero_line]="#D7AF5F"
    theme[zero_line.16]="3"

    # Selection and status line.
    theme[selection]="#FFFFFF"
    theme[selection.16]="15"
    theme[selection_bg]="#264F78"
    theme[selection_bg.16]="4"
    theme[status_bar]="#E4E4E4"
    theme[status_bar.16]="0"
    theme[status_bar_bg]="#3A3A3A"
    theme[status_bar_bg.16]="7"

    # States.
    theme[good]="#5FD75F"
    theme[good.16]="10"
    theme[warning]="#FFAF00"
    theme[warning.16]="11"
    theme[bad]="#FF5F5F"
    theme[bad.16]="9"
    theme[accent]="#AF87FF"
    theme[accent.16]="13"

    # Runs overlaid in one chart take these in turn.
    theme[series0]="#5FAFFF"
    theme[series0.16]="14"
    theme[series1]="#FF875F"
    theme[series1.16]="11"
    theme[series2]="#5FD787"
    theme[series2.16]="10"
    theme[series3]="#D787D7"
    theme[series3.16]="13"
    theme[series4]="#FFD75F"
    theme[series4.16]="9"
    theme[series5]="#5FD7D7"
    theme[series5.16]="12"
    theme[series6]="#FF5F87"
    theme[series6.16]="15"
    theme[series7]="#AFAFAF"
    theme[series7.16]="3"

    # Token view: per-token change log pi_theta - log pi_ref, falling (3 = most)
    # to rising (3 = most); delta_flat is about unchanged.
    theme[delta_fall3]="#FF5F5F"
    theme[delta_fall3.16]="9"
    theme[delta_fall2]="#D7875F"
    theme[delta_fall2.16]="1"
    theme[delta_fall1]="#AF8787"
    theme[delta_fall1.16]="3"
    theme[delta_flat]="#8A8A8A"
    theme[delta_flat.16]="8"
    theme[delta_rise1]="#87AFD7"
    theme[delta_rise1.16]="6"
    theme[delta_rise2]="#5FAFFF"
    theme[delta_rise2.16]="14"
    theme[delta_rise3]="#00D7FF"
    theme[delta_rise3.16]="12"
    """
}

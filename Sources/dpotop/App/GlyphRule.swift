import Dashboard
import Foundation
import Terminal

/// The one rule for Unicode (braille charts, box drawing) or ASCII, shared by
/// the dashboard and `render`, so a screen rendered to text looks like the
/// screen the same user would see:
///
/// 1. `--ascii`: ASCII;
/// 2. `--utf8`: Unicode whatever the locale says (for a terminal that shows
///    UTF-8 under a locale that does not say so; the dashboard then runs
///    ncurses under C.UTF-8);
/// 3. otherwise Unicode exactly when the locale's character set (from
///    LC_ALL, LC_CTYPE, LANG) is UTF-8.
enum GlyphRule {
  /// The glyphs to draw with; `localeIsUTF8` is asked only when neither flag decides.
  static func glyphs(
    ascii: Bool, utf8: Bool, localeIsUTF8: () -> Bool = GlyphRule.localeIsUTF8
  ) -> GlyphMode {
    if ascii { return .ascii }
    if utf8 { return .braille }
    return localeIsUTF8() ? .braille : .ascii
  }

  /// Whether the environment's locale is UTF-8 (sets the process locale from it,
  /// as the dashboard's terminal does).
  static func localeIsUTF8() -> Bool {
    setlocale(LC_ALL, "")
    return Terminal.localeIsUTF8()
  }

  /// For `--utf8` in the dashboard: a UTF-8 locale for ncurses to write Unicode in.
  static func forceUTF8Locale() {
    setenv("LC_ALL", "C.UTF-8", 1)
  }
}

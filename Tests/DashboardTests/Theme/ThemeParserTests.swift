import Foundation
import Testing

@testable import Dashboard

@Suite struct ThemeParserTests {
  /// The repository's themes/ directory, found from this file.
  static let themesDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("themes").path

  let empty = Theme(name: "empty", colors: [:])

  @Test func builtinParsesCleanlyAndSetsEverySlot() throws {
    let r = try ThemeParser.parse(Theme.builtinText, path: "<built-in>", name: "dark", base: empty)
    #expect(r.warnings.isEmpty)
    #expect(r.theme == Theme.builtin)
    for slot in ThemeSlot.allCases where slot != .background {
      #expect(Theme.builtin.colors[slot] != nil, "\(slot) unset")
    }
    #expect(Theme.builtin.colors[.title] == ThemeColor(rgb: 0x5FAFFF, index256: 75, index16: 12))
  }

  @Test func bundledThemesParseWithoutWarningsAndSetEverySlot() throws {
    for name in ["dark", "light", "high-contrast"] {
      let path = Self.themesDir + "/\(name).theme"
      let text = try String(contentsOfFile: path, encoding: .utf8)
      let r = try ThemeParser.parse(text, path: path, name: name, base: empty)
      #expect(r.warnings.isEmpty, "\(name): \(r.warnings)")
      for slot in ThemeSlot.allCases where !(name == "dark" && slot == .background) {
        #expect(r.theme.colors[slot] != nil, "\(name): \(slot) unset")
      }
      if name == "dark" { #expect(text == Theme.builtinText + "\n") }
    }
  }

  @Test func valuesCommentsAndDerivedIndices() throws {
    let text = """
      # a comment
        theme[title] = "#FF0000"   # trailing comment
      theme[axis]=#00ff00
      theme[axis.256]="28"
      theme[bad]="#abc"
      theme[bad.16]="bright_red"
      theme[background]=""
      """
    let r = try ThemeParser.parse(text, path: "t.theme", name: "t", base: .builtin)
    #expect(r.warnings.isEmpty)
    let title = try #require(r.theme.colors[.title])
    #expect(title.rgb == 0xFF0000)
    #expect(title.index256 == 196)  // derived: pure red in the cube
    #expect(title.index16 == 9)  // derived: bright red
    #expect(r.theme.colors[.axis] == ThemeColor(rgb: 0x00FF00, index256: 28, index16: 10))
    #expect(r.theme.colors[.bad]?.rgb == 0xAABBCC)
    #expect(r.theme.colors[.bad]?.index16 == 9)
    #expect(r.theme.colors[.background] == nil)
    // Missing keys fall back to the base theme.
    #expect(r.theme.colors[.series3] == Theme.builtin.colors[.series3])
  }

  @Test func unknownKeysAndRepeatsWarnWithFileLineAndKey() throws {
    let text = "theme[title]=\"#FF0000\"\ntheme[cpu_box]=\"#FFFFFF\"\ntheme[title]=\"#00FF00\"\n"
    let r = try ThemeParser.parse(text, path: "x.theme", name: "x")
    #expect(
      r.warnings.map(\.description) == [
        "x.theme:2: theme[cpu_box]: unknown key, ignored",
        "x.theme:3: theme[title]: set again; the last one wins",
      ])
    #expect(r.theme.colors[.title]?.rgb == 0x00FF00)
  }

  @Test(arguments: [
    ("theme[title]=\"#GG0000\"", "bad.theme:3: theme[title]: '#GG0000' is not a colour"),
    ("theme[title.256]=\"256\"", "bad.theme:3: theme[title.256]: '256' is not a 256-colour index"),
    ("theme[title.16]=\"pink\"", "bad.theme:3: theme[title.16]: 'pink' is not a 16-colour value"),
    ("theme[title]=\"#FF0000", "bad.theme:3: theme[title]: value has no closing quote"),
    ("theme[title] \"#FF0000\"", "bad.theme:3: theme[title]: expected '=' after theme[title]"),
    ("title=#FF0000", "bad.theme:3: expected theme[KEY]=\"VALUE\", found 'title=#FF0000'"),
    ("theme[title]=\"#FF0000\" x", "bad.theme:3: theme[title]: unexpected text after the value"),
  ])
  func errorsNameFileLineAndKey(line: String, expected: String) {
    let text = "# header\n\n" + line + "\n"
    do {
      _ = try ThemeParser.parse(text, path: "bad.theme", name: "bad")
      Issue.record("no error for \(line)")
    } catch {
      #expect(error.description.hasPrefix(expected), "\(error.description)")
    }
  }

  @Test func paletteNearestColours() {
    #expect(Palette.nearest256(0x000000) == 16)
    #expect(Palette.nearest256(0xFFFFFF) == 231)
    #expect(Palette.nearest256(0x808080) == 244)
    #expect(Palette.rgb256(75) == 0x5FAFFF)
    #expect(Palette.nearest16(0xFF0000) == 9)
    #expect(Palette.nearest16(0x0000EE) == 4)
    #expect(Palette.hex(0x0A0B0C) == "0A0B0C")
  }

  @Test func rolesMapToSlots() {
    let t = Theme.builtin
    #expect(t.colors(for: .selection).bg == t.colors[.selectionBackground])
    #expect(t.colors(for: .title).bg == nil)  // the dark theme keeps the terminal's background
    #expect(t.colors(for: .series(10)).fg == t.colors[.series2])
  }
}

@Suite struct ThemeFileTextTests {
  @Test func fileTextParsesBackToTheSameTheme() throws {
    var theme = Theme.builtin
    theme.colors[.grid] = nil
    theme.colors[.background] = ThemeColor(rgb: 0x101010, index256: 233, index16: 0)
    let text = theme.fileText
    let empty = Theme(name: "x", colors: [:])
    let r = try ThemeParser.parse(text, path: "t", name: theme.name, base: .builtin)
    #expect(r.warnings.isEmpty)
    #expect(r.theme == theme)
    #expect(try ThemeParser.parse(text, path: "t", name: theme.name, base: empty).theme == theme)
    #expect(text.contains("theme[grid]=\"\"\n"))
  }
}

@Suite struct ThemeIndexWithoutColourTests {
  @Test func anIndexForAnUnsetSlotWarnsAtItsLine() throws {
    let text = "theme[background]=\"\"\ntheme[background.256]=\"17\"\n# end\n"
    let r = try ThemeParser.parse(text, path: "t.theme", name: "t", base: .builtin)
    #expect(r.theme.colors[.background] == nil)
    #expect(
      r.warnings.map(\.description) == [
        "t.theme:2: theme[background]: has a 256/16-colour index but no \"#RRGGBB\" colour; "
          + "index ignored"
      ])
  }
}

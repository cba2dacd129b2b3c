import Testing

@testable import Dashboard

@Suite struct SafeTextTests {
  @Test(arguments: [
    ("plain", "plain"),
    ("a\u{1B}[31mred", "a\\x1b[31mred"),
    ("bell\u{07}", "bell\\x07"),
    ("tab\tnl\ncr\r", "tab\\x09nl\\x0acr\\x0d"),
    ("del\u{7F}", "del\\x7f"),
    ("c1\u{9B}2J", "c1\\x9b2J"),
    ("\u{202E}evil", "\\u{202e}evil"),
    ("iso\u{2066}x\u{2069}", "iso\\u{2066}x\\u{2069}"),
    ("mark\u{200F}", "mark\\u{200f}"),
    ("bad \u{FFFD} utf8", "bad \u{FFFD} utf8"),
    ("nul\u{0}", "nul\\x00"),
    ("crlf\r\n", "crlf\\x0d\\x0a"),
  ])
  func escapesControlsAndBidi(raw: String, shown: String) {
    let t = SafeText(raw)
    #expect(t.displayString == shown)
    #expect(t.width == shown.count)
    for c in t.columns {
      for s in c.unicodeScalars { #expect(SafeText.isSafe(s)) }
    }
  }

  @Test func wideCharactersTakeTwoColumns() {
    let t = SafeText("a日本b")
    #expect(t.width == 6)
    #expect(t.columns == ["a", "日", Cell.continuationChar, "本", Cell.continuationChar, "b"])
    #expect(SafeText("🙂").width == 2)
  }

  @Test func combiningMarksStayInTheirGraphemeAndZeroWidthIsDropped() {
    #expect(SafeText("e\u{301}x").width == 2)
    #expect(SafeText("a\u{200B}b").displayString == "ab")
    #expect(SafeText("\u{301}alone").width == 5)
  }

  @Test func truncationNeverSplitsAWideCharacter() {
    let t = SafeText("日本語テキスト")
    #expect(t.truncated(to: 4).columns == ["日", Cell.continuationChar, "…"])
    #expect(
      t.truncated(to: 5).columns == ["日", Cell.continuationChar, "本", Cell.continuationChar, "…"])
    #expect(SafeText("abc").truncated(to: 3).displayString == "abc")
    #expect(SafeText("abcd").truncated(to: 3).displayString == "ab…")
    #expect(SafeText("abcd").truncated(to: 0).width == 0)
  }

  @Test func gridPutClipsAndKeepsAlignment() {
    var g = CellGrid(width: 6, height: 1)
    let n = g.put("x日本語", x: 1, y: 0)
    // "x日本語" is 7 columns; 5 fit: x, 日 (2) and "…", as 本 would need 2 + 1.
    #expect(n == 4)
    #expect(g.plainText == " x日…")
    g.put("\u{1B}]0;t\u{07}", x: 0, y: 0)
    #expect(g.plainText == "\\x1b]…")
    #expect(g.put("no", x: 6, y: 0) == 0)
    #expect(g.put("no", x: 0, y: 5) == 0)
  }

  @Test func normalizeBlanksHalfOverwrittenWideCharacters() {
    var g = CellGrid(width: 4, height: 1)
    g.put("日本", x: 0, y: 0)
    g[1, 0] = Cell("x")
    g.normalizeWideCells()
    #expect(g.plainText == " x本")
    g[2, 0] = Cell("y")
    g.normalizeWideCells()
    #expect(g.plainText == " xy")
  }

  @Test func hugeStringsAreReadOnlyAsFarAsTheyShow() {
    let huge = String(repeating: "\u{1B}x", count: 500_000)
    let t = SafeText(huge, limit: 10)
    #expect(t.width <= 15)
    #expect(t.truncated(to: 10).displayString == "\\x1bx\\x1b…")
    var g = CellGrid(width: 12, height: 1)
    g.put(huge, x: 0, y: 0)
    #expect(g.plainText == "\\x1bx\\x1bx\\…")
    var s = Fixtures.state([
      (Fixtures.manifest(String(repeating: "n", count: 1_000_000)), Fixtures.store(steps: 3))
    ])
    _ = update(&s, .key(.enter))
    #expect(render(s).plainText.contains("nnn…"))
  }
}

import Testing

@testable import Terminal

@Suite struct GlyphTests {
  @Test func controlCharactersNeverReachTheTerminal() {
    for c: Character in ["\u{1B}", "\u{07}", "\u{7F}", "\u{9B}", "\u{0}", "\u{85}"] {
      #expect(Glyph.of(c, utf8: true) == .scalars([0x3F]))
      #expect(Glyph.of(c, utf8: false) == .scalars([0x3F]))
    }
  }

  @Test func unicodeInUTF8AndStandInsOtherwise() {
    #expect(Glyph.of("⠿", utf8: true) == .scalars([0x283F]))
    #expect(Glyph.of("e\u{301}", utf8: true) == .scalars([0x65, 0x301]))
    #expect(Glyph.of("A", utf8: false) == .scalars([0x41]))
    #expect(Glyph.of("─", utf8: false) == .lineDrawing(0x71))
    #expect(Glyph.of("┼", utf8: false) == .lineDrawing(0x6E))
    #expect(Glyph.of("⠿", utf8: false) == .scalars([0x3F]))
    #expect(Glyph.of("世", utf8: false) == .scalars([0x3F]))
  }
}

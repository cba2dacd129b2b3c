import CNcurses
import Dashboard
import Testing

@testable import Terminal

@Suite struct KeyDecoderTests {
  /// Feeds `text`'s scalars, then flushes.
  func decode(_ text: String) -> [TerminalEvent] {
    var d = KeyDecoder()
    var out = d.feed(text.unicodeScalars.map { .scalar($0.value) })
    out += d.flush()
    return out
  }

  func keys(_ ks: Key...) -> [TerminalEvent] { ks.map { .key($0) } }

  @Test func defaultCodesMatchThisNcurses() {
    #expect(Terminal.ncursesCodes == KeyDecoder.Codes())
  }

  @Test func ncursesCodesBecomeKeys() {
    var d = KeyDecoder()
    #expect(d.feed(.code(CN_KEY_UP)) == keys(.up))
    #expect(d.feed(.code(CN_KEY_NPAGE)) == keys(.pageDown))
    #expect(d.feed(.code(CN_KEY_PPAGE)) == keys(.pageUp))
    #expect(d.feed(.code(CN_KEY_HOME)) == keys(.home))
    #expect(d.feed(.code(CN_KEY_END)) == keys(.end))
    #expect(d.feed(.code(CN_KEY_BTAB)) == keys(.backTab))
    #expect(d.feed(.code(CN_KEY_DC)) == keys(.delete))
    #expect(d.feed(.code(CN_KEY_BACKSPACE)) == keys(.backspace))
    #expect(d.feed(.code(CN_KEY_F0 + 1)) == keys(.function(1)))
    #expect(d.feed(.code(CN_KEY_F0 + 12)) == keys(.function(12)))
    #expect(d.feed(.code(CN_KEY_F0 + 13)) == keys(.unknown))
    #expect(d.feed(.code(CN_KEY_RESIZE)) == [.resize])
    #expect(d.feed(.code(0o777)) == keys(.unknown))
  }

  @Test func controlBytesAndPrintables() {
    #expect(decode("q") == keys(.char("q")))
    #expect(decode("\r\n\t") == keys(.enter, .enter, .tab))
    #expect(decode("\u{7F}\u{08}") == keys(.backspace, .backspace))
    #expect(decode("\u{03}\u{01}\u{1A}") == keys(.ctrl("c"), .ctrl("a"), .ctrl("z")))
    #expect(decode("\u{00}\u{1C}\u{9B}") == keys(.unknown, .unknown, .unknown))
    #expect(decode("é世⠿") == keys(.char("é"), .char("世"), .char("⠿")))
  }

  @Test func xtermEscapeSequences() {
    #expect(decode("\u{1B}[A\u{1B}[B\u{1B}[C\u{1B}[D") == keys(.up, .down, .right, .left))
    #expect(decode("\u{1B}OA\u{1B}OH\u{1B}OF") == keys(.up, .home, .end))
    #expect(decode("\u{1B}[H\u{1B}[F\u{1B}[1~\u{1B}[4~") == keys(.home, .end, .home, .end))
    #expect(decode("\u{1B}[5~\u{1B}[6~\u{1B}[3~") == keys(.pageUp, .pageDown, .delete))
    #expect(decode("\u{1B}[Z") == keys(.backTab))
    #expect(decode("\u{1B}[1;5A") == keys(.up))  // Ctrl+Up is still Up
  }

  @Test func functionKeysInEveryDialect() {
    #expect(
      decode("\u{1B}OP\u{1B}OQ\u{1B}OR\u{1B}OS")
        == keys(.function(1), .function(2), .function(3), .function(4)))
    #expect(
      decode("\u{1B}[15~\u{1B}[17~\u{1B}[21~\u{1B}[23~\u{1B}[24~")
        == keys(.function(5), .function(6), .function(10), .function(11), .function(12)))
    #expect(decode("\u{1B}[11~\u{1B}[14~") == keys(.function(1), .function(4)))
    // Linux console.
    #expect(decode("\u{1B}[[A\u{1B}[[E") == keys(.function(1), .function(5)))
  }

  @Test func escapeAloneAltAndCutSequences() {
    #expect(decode("\u{1B}") == keys(.escape))
    #expect(decode("\u{1B}\u{1B}") == keys(.escape, .escape))
    #expect(decode("\u{1B}q") == keys(.escape, .char("q")))
    // Cut off mid-sequence by a quiet input: Escape, then the characters.
    #expect(decode("\u{1B}[") == keys(.escape, .char("[")))
    #expect(decode("\u{1B}[99~") == keys(.unknown))
    #expect(decode("\u{1B}[1\u{7}x") == keys(.unknown, .char("x")))
    let long = "\u{1B}[" + String(repeating: "1", count: 40) + "~q"
    #expect(decode(long).last == .key(.char("q")))
  }

  @Test func aFunctionKeyCodeEndsAPendingSequence() {
    var d = KeyDecoder()
    #expect(d.feed(.scalar(0x1B)) == [])
    #expect(d.isPending)
    #expect(d.feed(.code(CN_KEY_UP)) == keys(.escape, .up))
    #expect(!d.isPending)
  }

  @Test func anySplitDecodesTheSame() {
    let text = "a\u{1B}[A\u{1B}OP\u{1B}[15~é\u{1B}[1;5Cz\u{1B}[[B\r"
    let scalars = text.unicodeScalars.map { KeyDecoder.Input.scalar($0.value) }
    var whole = KeyDecoder()
    let expected = whole.feed(scalars) + whole.flush()
    #expect(expected.count == 9)
    for cut in 0...scalars.count {
      var d = KeyDecoder()
      let got = d.feed(Array(scalars[..<cut])) + d.feed(Array(scalars[cut...])) + d.flush()
      #expect(got == expected, "split at \(cut)")
    }
  }
}

import Dashboard
import Testing

@testable import Terminal

/// The mouse reports xterm sends with modes 1000 + 1002 and, or without,
/// 1006 (SGR), byte for byte, through the same decoder as the keys.
@Suite struct MouseDecodingTests {
  func decode(_ text: String) -> [TerminalEvent] {
    var d = KeyDecoder()
    var out = d.feed(text.unicodeScalars.map { .scalar($0.value) })
    out += d.flush()
    return out
  }

  /// X10: ESC [ M and three bytes of 32 + value (coordinates 1-based).
  func x10(_ b: Int, _ x: Int, _ y: Int) -> String {
    "\u{1B}[M" + String(UnicodeScalar(UInt8(32 + b))) + String(UnicodeScalar(UInt8(32 + x)))
      + String(UnicodeScalar(UInt8(32 + y)))
  }

  func mouse(_ a: MouseEvent.Action, _ b: MouseEvent.Button, _ x: Int, _ y: Int) -> TerminalEvent {
    .mouse(MouseEvent(a, button: b, x: x, y: y))
  }

  @Test func sgrPressDragReleaseWheel() {
    #expect(decode("\u{1B}[<0;10;5M") == [mouse(.press, .left, 9, 4)])
    #expect(decode("\u{1B}[<32;12;5M") == [mouse(.drag, .left, 11, 4)])
    #expect(decode("\u{1B}[<0;12;5m") == [mouse(.release, .left, 11, 4)])
    #expect(decode("\u{1B}[<2;1;1M") == [mouse(.press, .right, 0, 0)])
    #expect(decode("\u{1B}[<64;80;24M") == [mouse(.wheelUp, .none, 79, 23)])
    #expect(decode("\u{1B}[<65;80;24M") == [mouse(.wheelDown, .none, 79, 23)])
    // Ctrl (+16) and shift (+4) held: the same click.
    #expect(decode("\u{1B}[<20;3;3M") == [mouse(.press, .left, 2, 2)])
  }

  @Test func sgrReachesPastColumn223() {
    #expect(decode("\u{1B}[<0;1000;1000M") == [mouse(.press, .left, 999, 999)])
  }

  @Test func x10PressDragReleaseWheel() {
    #expect(decode(x10(0, 10, 5)) == [mouse(.press, .left, 9, 4)])
    #expect(decode(x10(32, 12, 5)) == [mouse(.drag, .left, 11, 4)])
    #expect(decode(x10(3, 12, 5)) == [mouse(.release, .none, 11, 4)])
    #expect(decode(x10(64, 1, 1)) == [mouse(.wheelUp, .none, 0, 0)])
    #expect(decode(x10(65, 1, 1)) == [mouse(.wheelDown, .none, 0, 0)])
    // Column 95 is byte 127 (DEL): still a coordinate, not Backspace.
    #expect(decode(x10(0, 95, 1)) == [mouse(.press, .left, 94, 0)])
  }

  @Test func reportsAmongKeysAndSplitAnywhere() {
    let text = "q\u{1B}[<0;4;2Mj" + x10(64, 7, 3) + "\u{1B}[A"
    let want: [TerminalEvent] = [
      .key(.char("q")), mouse(.press, .left, 3, 1), .key(.char("j")),
      mouse(.wheelUp, .none, 6, 2), .key(.up),
    ]
    #expect(decode(text) == want)
    var d = KeyDecoder()
    var out: [TerminalEvent] = []
    for s in text.unicodeScalars { out += d.feed(.scalar(s.value)) }
    #expect(out == want)
  }

  @Test func ignoredReportsAndCutOnesPressNoKeys() {
    // Motion without a button (mode 1003), side wheels, buttons 8+.
    #expect(decode("\u{1B}[<35;5;5M").isEmpty)
    #expect(decode("\u{1B}[<66;5;5M").isEmpty)
    #expect(decode("\u{1B}[<128;5;5M").isEmpty)
    #expect(decode(x10(35, 5, 5)).isEmpty)
    // A report cut short is dropped whole: its bytes would spell keys.
    #expect(decode("\u{1B}[<0;113").isEmpty)
    #expect(decode("\u{1B}[M q").isEmpty)
    // Malformed SGR: too few numbers, or a zero coordinate.
    #expect(decode("\u{1B}[<0;5M").isEmpty)
    #expect(decode("\u{1B}[<0;0;5M").isEmpty)
  }

  /// The fuzzer's invariant (Tests/Fuzz/key_decoder.swift) over inputs
  /// dense in mouse-report bytes: any split decodes as the whole, and no
  /// more events than inputs.
  @Test func anySplitOfMouseLikeInputDecodesTheSame() {
    let alphabet: [UInt32] = [
      0x1B, 0x5B, 0x3C, 0x4D, 0x6D, 0x3B, 0x30, 0x31, 0x36, 0x34, 0x20, 0x23, 0x60, 0x71,
    ]
    var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
    for _ in 0..<2000 {
      var scalars: [UInt32] = []
      for _ in 0..<Int(seed % 14) + 1 {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        scalars.append(alphabet[Int(seed >> 33) % alphabet.count])
      }
      let inputs = scalars.map { KeyDecoder.Input.scalar($0) }
      var whole = KeyDecoder()
      let expected = whole.feed(inputs) + whole.flush()
      #expect(expected.count <= inputs.count)
      for cut in 0...inputs.count {
        var d = KeyDecoder()
        let got = d.feed(Array(inputs[..<cut])) + d.feed(Array(inputs[cut...])) + d.flush()
        #expect(got == expected, "\(scalars) split at \(cut)")
      }
    }
  }
}

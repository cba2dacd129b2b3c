import RunLog
import Testing

@testable import Dashboard

/// Strings from run files cannot reach the terminal as control sequences
/// (issue 9 item 5): names, metric keys, errors and log lines are escaped,
/// and wide or invalid characters keep the grid aligned.
@Suite struct HostileTextTests {
  static let evilName = "evil\u{1B}]0;pwned\u{07}\u{202E}gnp.exe\u{9B}31m日本\u{FFFD}"
  static let evilKey = "loss\u{1B}[2J\u{7F}"
  static let evilLog = "\u{1B}[31mred\u{1B}[0m \u{2066}iso\u{2069} bell\u{07} \u{FFFD}\u{FFFD}"

  static func state(width: Int = 100, height: Int = 30) -> DashboardState {
    var m = Fixtures.manifest(Self.evilName)
    m.objective = "dpo\u{1B}c"
    m.error = "boom\u{1B}[A\r\n\u{0}"
    var store = Fixtures.store(steps: 20)
    for i in 0..<20 {
      store.append(key: Self.evilKey, split: .train, step: i, value: Double(i))
    }
    var s = Fixtures.state([(m, store)], width: width, height: height)
    let id = "runs/" + Self.evilName
    _ = update(&s, .logTail(id: id, lines: [Self.evilLog, "ok line"]))
    _ = update(&s, .runNotes(id: id, notes: ["note\u{1B}P"]))
    return s
  }

  static func expectNoControlBytes(
    _ text: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for s in text.unicodeScalars where s != "\n" {
      let v = s.value
      let bad =
        v < 0x20 || v == 0x7F || (0x80..<0xA0).contains(v) || (0x202A...0x202E).contains(v)
        || (0x2066...0x2069).contains(v)
      #expect(!bad, "U+\(String(v, radix: 16)) reached the screen", sourceLocation: sourceLocation)
    }
  }

  @Test func mainViewEscapesTheRunName() {
    let g = render(Self.state())
    expectSnapshot(g, "hostile-main")
    Self.expectNoControlBytes(g.plainText)
    expectAlignedAndClean(g)
    // The name is cut in its middle (issue 19); its escape starts as text.
    #expect(g.plainText.contains("evil\\"))
  }

  @Test func detailEscapesKeysErrorsNotesAndLogLines() {
    var s = Self.state(width: 110, height: 50)
    _ = update(&s, .key(.enter))
    let g = render(s)
    expectSnapshot(g, "hostile-detail")
    Self.expectNoControlBytes(g.plainText)
    expectAlignedAndClean(g)
    let text = g.plainText
    #expect(text.contains("loss\\x1b[2J\\x7f"))
    #expect(text.contains("\\x1b[31mred\\x1b[0m \\u{2066}iso\\u{2069} bell\\x07 \u{FFFD}\u{FFFD}"))
    #expect(text.contains("boom\\x1b[A\\x0d\\x0a\\x00"))
    #expect(text.contains("note\\x1bP"))
  }

  @Test func everyRowIsExactlyTheScreenWidth() {
    // Wide characters in the name must not push the border out of line.
    let g = render(Self.state(width: 80, height: 20))
    for line in g.plainText.split(separator: "\n") where line.hasPrefix("│") {
      #expect(SafeText(String(line)).width <= 80)
    }
    let row = (0..<g.width).map { g[$0, 2].char }
    #expect(row.filter { $0 == "│" }.count >= 2)
  }
}

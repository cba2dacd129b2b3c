import Dashboard
import Testing

@testable import Terminal

@Suite struct ColorMappingTests {
  let theme = Theme(
    name: "t",
    colors: [
      .normal: ThemeColor(rgb: 0xD0D0D0, index256: 252, index16: 7),
      .title: ThemeColor(rgb: 0x5FAFFF, index256: 75, index16: 12),
      .selection: ThemeColor(rgb: 0xFFFFFF, index256: 231, index16: 15),
      .selectionBackground: ThemeColor(rgb: 0x264F78, index256: 24, index16: 4),
      .series1: ThemeColor(rgb: 0xFF875F, index256: 209, index16: 11),
    ])

  func pair(_ m: ColorMapping, _ role: ColorRole) -> ColorMapping.Pair {
    m.pairs[m.resolve(Style(role)).pair - 1]
  }

  @Test func depthDetection() {
    #expect(
      ColorDepth.detect(colors: 256, hasColors: true, direct: false, noColor: false) == .xterm256)
    #expect(ColorDepth.detect(colors: 256, hasColors: true, direct: false, noColor: true) == .none)
    #expect(
      ColorDepth.detect(colors: 16, hasColors: true, direct: false, noColor: false) == .ansi16)
    #expect(ColorDepth.detect(colors: 8, hasColors: true, direct: false, noColor: false) == .ansi8)
    #expect(ColorDepth.detect(colors: 0, hasColors: false, direct: false, noColor: false) == .none)
    #expect(
      ColorDepth.detect(colors: 0x100_0000, hasColors: true, direct: true, noColor: false)
        == .direct)
  }

  @Test func each256And16ColourValueIsUsedAtItsDepth() {
    let m256 = ColorMapping(theme: theme, depth: .xterm256)
    #expect(pair(m256, .title) == .init(fg: 75, bg: -1))
    #expect(pair(m256, .selection) == .init(fg: 231, bg: 24))
    let m16 = ColorMapping(theme: theme, depth: .ansi16)
    #expect(pair(m16, .title) == .init(fg: 12, bg: -1))
    let direct = ColorMapping(theme: theme, depth: .direct)
    #expect(pair(direct, .title) == .init(fg: 0x5FAFFF, bg: -1))
  }

  @Test func eightColoursTurnBrightIntoBold() {
    let m = ColorMapping(theme: theme, depth: .ansi8)
    #expect(pair(m, .title) == .init(fg: 4, bg: -1))
    #expect(m.resolve(Style(.title)).attributes == .bold)
    #expect(m.resolve(Style(.normal)).attributes == [])
    #expect(pair(m, .selection) == .init(fg: 7, bg: 4))
  }

  @Test func seriesCycleThroughThePalette() {
    let m = ColorMapping(theme: theme, depth: .xterm256)
    #expect(m.resolve(Style(.series(1))).pair == m.resolve(Style(.series(9))).pair)
    #expect(m.resolve(Style(.series(-7))).pair == m.resolve(Style(.series(1))).pair)
    #expect(pair(m, .series(9)).fg == 209)
  }

  @Test func withoutColourRolesBecomeAttributes() {
    let m = ColorMapping(theme: theme, depth: .none)
    #expect(m.pairs.isEmpty)
    #expect(m.resolve(Style(.selection)) == (0, .reverse))
    #expect(m.resolve(Style(.title)) == (0, .bold))
    #expect(m.resolve(Style(.grid)).attributes == .dim)
    // An explicit reverse on a reversed role cancels out, so it still differs from its neighbours.
    #expect(m.resolve(Style(.statusBar, reverse: true)).attributes == [])
    #expect(
      m.resolve(Style(.normal, bold: true, underline: true)).attributes == [.bold, .underline])
  }

  @Test func withoutDefaultColoursUnsetColoursAreConcrete() {
    let m = ColorMapping(theme: theme, depth: .ansi16, defaultColors: false)
    #expect(pair(m, .title) == .init(fg: 12, bg: 0))
    #expect(pair(m, .border) == .init(fg: 7, bg: 0))
  }
}

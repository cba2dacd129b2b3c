import Testing

@testable import Dashboard

@Suite struct DotCanvasTests {
  /// (dots set as (x, y), the braille character expected in the single cell).
  @Test(
    arguments: [
      ([(0, 0)], "⠁"),
      ([(0, 1)], "⠂"),
      ([(0, 2)], "⠄"),
      ([(0, 3)], "⡀"),
      ([(1, 0)], "⠈"),
      ([(1, 1)], "⠐"),
      ([(1, 2)], "⠠"),
      ([(1, 3)], "⢀"),
      ([(0, 0), (1, 3)], "⢁"),
      ([(0, 0), (0, 1), (0, 2), (0, 3), (1, 0), (1, 1), (1, 2), (1, 3)], "⣿"),
      ([(0, 3), (1, 3)], "⣀"),
    ] as [([(Int, Int)], Character)])
  func brailleDotPatterns(dots: [(Int, Int)], expected: Character) {
    var c = DotCanvas(columns: 1, rows: 1, glyphs: .braille)
    for (x, y) in dots { c.set(x, y, .plain) }
    #expect(c.character(cell: 0, 0) == expected)
  }

  @Test func dotsOutsideAreIgnoredAndCellsTakeTheLastStyle() {
    var c = DotCanvas(columns: 2, rows: 1, glyphs: .braille)
    c.set(-1, 0, .plain)
    c.set(4, 0, .plain)
    c.set(0, 4, .plain)
    #expect(!c.isSet(cell: 0, 0) && !c.isSet(cell: 1, 0))
    c.set(2, 0, Style(.series(0)))
    c.set(3, 0, Style(.series(1)))
    var g = CellGrid(width: 2, height: 1)
    c.draw(into: &g, x: 0, y: 0)
    #expect(g[1, 0].char == "⠉")
    #expect(g[1, 0].style.role == .series(1))
  }

  @Test func linesJoinDotsAndHonourTheDashPattern() {
    var c = DotCanvas(columns: 4, rows: 1, glyphs: .braille)
    c.line(from: (0, 3), to: (7, 3), .plain, pattern: .number(0), marker: "*")
    var g = CellGrid(width: 4, height: 1)
    c.draw(into: &g, x: 0, y: 0)
    #expect(g.plainText == "⣀⣀⣀⣀")
    var d = DotCanvas(columns: 4, rows: 1, glyphs: .braille)
    d.line(from: (0, 3), to: (7, 3), .plain, pattern: .number(2), marker: "*")
    var h = CellGrid(width: 4, height: 1)
    d.draw(into: &h, x: 0, y: 0)
    #expect(h.plainText == "⡀⡀⡀⡀")
  }

  @Test func asciiCanvasUsesMarkers() {
    var c = DotCanvas(columns: 3, rows: 2, glyphs: .ascii)
    c.line(from: (0, 0), to: (2, 1), .plain, pattern: .number(0), marker: "+")
    var g = CellGrid(width: 3, height: 2)
    c.draw(into: &g, x: 0, y: 0)
    #expect(g.plainText == "+\n ++")
  }

  @Test func dashPatternsDifferWithinSixDots() {
    let samples = DashPattern.all.map { p in (0..<6).map { p.draws($0) } }
    #expect(Set(samples.map { $0.description }).count == DashPattern.all.count)
  }
}

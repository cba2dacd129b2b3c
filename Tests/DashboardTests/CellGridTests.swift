import Testing

@testable import Dashboard

@Suite struct CellGridTests {
  @Test func writesOutsideTheGridAreIgnoredAndTextIsTrimmed() {
    var g = CellGrid(width: 4, height: 2)
    g[1, 0] = Cell("a")
    g[9, 9] = Cell("z")
    g[-1, 0] = Cell("z")
    g.fill(Rect(x: 2, y: 1, width: 10, height: 10), with: Cell("#"))
    #expect(g.plainText == " a\n  ##")
  }
}

/// A grid of dots drawn into cells: braille 2×4 dots per cell, or one ASCII
/// marker per cell.
///
/// Each cell takes the style of the last line that set a dot in it (a cell
/// has one colour); lines drawn later win, so callers draw the most
/// important line last.
struct DotCanvas {
  let columns: Int
  let rows: Int
  let glyphs: GlyphMode
  private var bits: [UInt8]
  private var marks: [Character]
  private var styles: [Style]

  /// A blank canvas of `columns × rows` cells.
  init(columns: Int, rows: Int, glyphs: GlyphMode) {
    self.columns = max(0, columns)
    self.rows = max(0, rows)
    self.glyphs = glyphs
    bits = Array(repeating: 0, count: self.columns * self.rows)
    marks = Array(repeating: " ", count: self.columns * self.rows)
    styles = Array(repeating: .plain, count: self.columns * self.rows)
  }

  /// Dots across and down.
  var dotWidth: Int { glyphs == .braille ? columns * 2 : columns }
  var dotHeight: Int { glyphs == .braille ? rows * 4 : rows }

  /// Braille bit of dot (dx, dy) inside a cell (dx 0–1, dy 0–3, top first).
  static let brailleBits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

  /// Sets dot (x, y) (y counted from the top) in `style`; outside dots are ignored.
  mutating func set(_ x: Int, _ y: Int, _ style: Style, marker: Character = "*") {
    guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
    let cell: Int
    switch glyphs {
    case .braille:
      cell = (y / 4) * columns + x / 2
      bits[cell] |= Self.brailleBits[x % 2][y % 4]
    case .ascii:
      cell = y * columns + x
      bits[cell] = 1
      marks[cell] = marker
    }
    styles[cell] = style
  }

  /// Sets dots (x, y0...y1) in one go (a chart column's min–max span).
  mutating func vertical(_ x: Int, from y0: Int, to y1: Int, _ style: Style, marker: Character) {
    guard x >= 0, x < dotWidth else { return }
    let a = max(0, y0)
    let b = min(dotHeight - 1, y1)
    guard a <= b else { return }
    switch glyphs {
    case .braille:
      let col = Self.brailleBits[x % 2]
      var y = a
      while y <= b {
        let cy = y / 4
        var mask: UInt8 = 0
        while y <= b && y / 4 == cy {
          mask |= col[y % 4]
          y += 1
        }
        let cell = cy * columns + x / 2
        bits[cell] |= mask
        styles[cell] = style
      }
    case .ascii:
      for y in a...b { set(x, y, style, marker: marker) }
    }
  }

  /// True when any dot of cell (cx, cy) is set.
  func isSet(cell cx: Int, _ cy: Int) -> Bool {
    cx >= 0 && cy >= 0 && cx < columns && cy < rows && bits[cy * columns + cx] != 0
  }

  /// The character of cell (cx, cy): a braille pattern, an ASCII marker or a space.
  func character(cell cx: Int, _ cy: Int) -> Character {
    let b = bits[cy * columns + cx]
    guard b != 0 else { return " " }
    switch glyphs {
    case .braille:
      return Character(Unicode.Scalar(0x2800 + UInt32(b)) ?? " ")
    case .ascii:
      return marks[cy * columns + cx]
    }
  }

  /// Copies the set cells into `grid` with their top-left at (x, y).
  func draw(into grid: inout CellGrid, x: Int, y: Int) {
    for cy in 0..<rows {
      for cx in 0..<columns where bits[cy * columns + cx] != 0 {
        grid[x + cx, y + cy] = Cell(character(cell: cx, cy), styles[cy * columns + cx])
      }
    }
  }

  /// Draws a straight line between two dots (Bresenham), keeping dots where
  /// `pattern` says the column is drawn.
  mutating func line(
    from p0: (Int, Int), to p1: (Int, Int), _ style: Style, pattern: DashPattern,
    marker: Character
  ) {
    var (x0, y0) = p0
    let (x1, y1) = p1
    let dx = abs(x1 - x0)
    let dy = -abs(y1 - y0)
    let sx = x0 < x1 ? 1 : -1
    let sy = y0 < y1 ? 1 : -1
    var err = dx + dy
    var guardSteps = dx - dy + 2
    while guardSteps > 0 {
      if pattern.draws(x0) { set(x0, y0, style, marker: marker) }
      if x0 == x1 && y0 == y1 { break }
      let e2 = 2 * err
      if e2 >= dy {
        err += dy
        x0 += sx
      }
      if e2 <= dx {
        err += dx
        y0 += sy
      }
      guardSteps -= 1
    }
  }
}

/// Which dot columns a line draws: how series stay distinguishable without colour.
struct DashPattern: Sendable, Equatable {
  /// Period and a bit mask of the drawn columns within it.
  let period: Int
  let mask: UInt32

  /// The patterns in the order series get them: solid, dashed, dotted,
  /// dash-dot, sparse, double; all differ within six dots (a legend sample).
  static let all: [DashPattern] = [
    DashPattern(period: 1, mask: 0b1),
    DashPattern(period: 6, mask: 0b00_1111),
    DashPattern(period: 2, mask: 0b1),
    DashPattern(period: 6, mask: 0b01_0111),
    DashPattern(period: 3, mask: 0b1),
    DashPattern(period: 6, mask: 0b01_1011),
  ]

  /// Pattern number `i` (cycling).
  static func number(_ i: Int) -> DashPattern { all[((i % all.count) + all.count) % all.count] }

  /// True when dot column `x` is drawn.
  @inline(__always)
  func draws(_ x: Int) -> Bool { (mask >> UInt32(((x % period) + period) % period)) & 1 == 1 }
}

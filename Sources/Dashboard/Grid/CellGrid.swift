/// The screen as plain data: `width × height` cells, row-major.
///
/// Views draw into a grid and never touch the terminal; the terminal layer
/// diffs consecutive grids and writes only what changed. Tests compare
/// `plainText` with literal screens.
public struct CellGrid: Sendable, Equatable {
  public let width: Int
  public let height: Int
  public private(set) var cells: [Cell]

  /// A blank grid.
  public init(width: Int, height: Int) {
    self.width = max(0, width)
    self.height = max(0, height)
    cells = Array(repeating: .blank, count: self.width * self.height)
  }

  /// The whole grid as a rectangle.
  public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

  /// The cell at (x, y); blank outside the grid.
  public subscript(x: Int, y: Int) -> Cell {
    get {
      guard x >= 0, y >= 0, x < width, y < height else { return .blank }
      return cells[y * width + x]
    }
    set {
      guard x >= 0, y >= 0, x < width, y < height else { return }
      cells[y * width + x] = newValue
    }
  }

  /// Fills `rect` (clipped to the grid) with `cell`.
  public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
    let r = rect.intersection(bounds)
    guard !r.isEmpty else { return }
    for y in r.y..<r.maxY {
      for x in r.x..<r.maxX { cells[y * width + x] = cell }
    }
  }

  /// Rows as text, trailing spaces trimmed, continuation cells omitted.
  public var plainText: String {
    var lines: [String] = []
    lines.reserveCapacity(height)
    for y in 0..<height {
      var line = ""
      for x in 0..<width {
        let c = cells[y * width + x].char
        if c != Cell.continuationChar { line.append(c) }
      }
      while line.last == " " { line.removeLast() }
      lines.append(line)
    }
    return lines.joined(separator: "\n")
  }
}

extension CellGrid {
  /// Writes `text` at (x, y), clipped to `maxWidth` columns (and the grid);
  /// returns the number of columns written.
  ///
  /// Cut text ends in `…`. Wide characters occupy their cell and a
  /// continuation cell; one that would straddle the clip edge is left out.
  @discardableResult
  public mutating func put(
    _ text: SafeText, x: Int, y: Int, maxWidth: Int = Int.max, style: Style = .plain
  ) -> Int {
    let avail = min(maxWidth, width - x)
    guard y >= 0, y < height, x >= 0, avail > 0 else { return 0 }
    let t = text.truncated(to: avail)
    for (i, c) in t.columns.enumerated() { self[x + i, y] = Cell(c, style) }
    return t.width
  }

  /// Writes an outside string (sanitized) at (x, y); see `put(_:x:y:maxWidth:style:)`.
  @discardableResult
  public mutating func put(
    _ raw: String, x: Int, y: Int, maxWidth: Int = Int.max, style: Style = .plain
  ) -> Int {
    let room = min(maxWidth, width - x)
    return put(SafeText(raw, limit: max(0, room)), x: x, y: y, maxWidth: maxWidth, style: style)
  }

  /// Sets the style of every cell in `rect`, keeping the characters.
  public mutating func setStyle(_ rect: Rect, _ style: Style) {
    let r = rect.intersection(bounds)
    guard !r.isEmpty else { return }
    for y in r.y..<r.maxY {
      for x in r.x..<r.maxX { self[x, y].style = style }
    }
  }

  /// Draws a box border around `rect` with `title` in the top edge.
  public mutating func box(_ rect: Rect, title: String = "", style: Style, ascii: Bool) {
    guard rect.width >= 2, rect.height >= 2 else { return }
    let h: Character = ascii ? "-" : "─"
    let v: Character = ascii ? "|" : "│"
    let corners: [Character] = ascii ? ["+", "+", "+", "+"] : ["┌", "┐", "└", "┘"]
    for x in rect.x + 1..<rect.maxX - 1 {
      self[x, rect.y] = Cell(h, style)
      self[x, rect.maxY - 1] = Cell(h, style)
    }
    for y in rect.y + 1..<rect.maxY - 1 {
      self[rect.x, y] = Cell(v, style)
      self[rect.maxX - 1, y] = Cell(v, style)
    }
    self[rect.x, rect.y] = Cell(corners[0], style)
    self[rect.maxX - 1, rect.y] = Cell(corners[1], style)
    self[rect.x, rect.maxY - 1] = Cell(corners[2], style)
    self[rect.maxX - 1, rect.maxY - 1] = Cell(corners[3], style)
    if !title.isEmpty {
      put(title, x: rect.x + 1, y: rect.y, maxWidth: rect.width - 2, style: style)
    }
  }

  /// Blanks half-overwritten wide characters: a wide character whose
  /// continuation cell was drawn over, or a continuation cell whose wide
  /// character was. Called once per frame, so overlays can draw freely and
  /// the terminal never sees a grid that would shift a row.
  public mutating func normalizeWideCells() {
    for y in 0..<height {
      let row = y * width
      for x in 0..<width {
        let c = cells[row + x].char
        if c == Cell.continuationChar {
          let prev = x > 0 ? cells[row + x - 1].char : " "
          if x == 0 || prev == Cell.continuationChar || !Self.isWide(prev) {
            self[x, y].char = " "
          }
        } else if c.utf8.count > 1 && Self.isWide(c) {
          if x + 1 >= width || cells[row + x + 1].char != Cell.continuationChar {
            self[x, y].char = " "
          }
        }
      }
    }
  }

  private static func isWide(_ c: Character) -> Bool { CharWidth.width(of: c) == 2 }
}

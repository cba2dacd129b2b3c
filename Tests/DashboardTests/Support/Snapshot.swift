import Foundation
import Testing

@testable import Dashboard

/// Compares a screen with `Snapshots/<name>.txt` next to this file's folder.
///
/// With `RECORD_SNAPSHOTS=1` in the environment the file is (re)written
/// instead and the test records an issue so a recording run never passes
/// silently. A mismatch reports the first differing row.
func expectSnapshot(
  _ grid: CellGrid, _ name: String, filePath: String = #filePath,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let dir = URL(fileURLWithPath: filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Snapshots")
  let url = dir.appendingPathComponent(name + ".txt")
  let actual = grid.plainText + "\n"
  if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try? actual.write(to: url, atomically: true, encoding: .utf8)
    Issue.record(
      "recorded snapshot \(name); run again without RECORD_SNAPSHOTS",
      sourceLocation: sourceLocation)
    return
  }
  guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
    Issue.record(
      "missing snapshot \(url.path); run with RECORD_SNAPSHOTS=1", sourceLocation: sourceLocation)
    return
  }
  expectSameScreen(actual, expected, sourceLocation: sourceLocation)
}

/// Compares two screens row by row, reporting the first difference.
func expectSameScreen(
  _ actual: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation
) {
  guard actual != expected else { return }
  let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
  let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
  for i in 0..<max(a.count, e.count) {
    let ar = i < a.count ? String(a[i]) : "<none>"
    let er = i < e.count ? String(e[i]) : "<none>"
    if ar != er {
      Issue.record(
        "screens differ at row \(i):\n  expected: \(er)\n  actual:   \(ar)\n--- actual screen ---\n\(actual)",
        sourceLocation: sourceLocation)
      return
    }
  }
}

/// Every row of `grid` occupies exactly `width` columns (wide characters
/// counted with their continuation cells) and holds no control character.
func expectAlignedAndClean(_ grid: CellGrid, sourceLocation: SourceLocation = #_sourceLocation) {
  for y in 0..<grid.height {
    var x = 0
    while x < grid.width {
      let c = grid[x, y].char
      for s in c.unicodeScalars {
        let v = s.value
        let bad =
          (v < 0x20 && c != Cell.continuationChar) || v == 0x7F || (0x80..<0xA0).contains(v)
          || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
        #expect(
          !bad, "control U+\(String(v, radix: 16)) at (\(x),\(y))", sourceLocation: sourceLocation)
      }
      if c == Cell.continuationChar {
        #expect(
          x > 0 && CharWidth.width(of: grid[x - 1, y].char) == 2,
          "stray continuation at (\(x),\(y))", sourceLocation: sourceLocation)
      } else if CharWidth.width(of: c) == 2 {
        #expect(
          grid[x + 1, y].char == Cell.continuationChar,
          "wide char without continuation at (\(x),\(y))", sourceLocation: sourceLocation)
      } else {
        #expect(
          CharWidth.width(of: c) == 1, "cell (\(x),\(y)) is \(CharWidth.width(of: c)) wide",
          sourceLocation: sourceLocation)
      }
      x += 1
    }
  }
}

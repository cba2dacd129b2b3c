import RunLog
import Testing

@testable import Dashboard

/// `%`: y ranges fitted to the 5th–95th percentile on screen, clipped
/// points marked at the edge (issue 30 item 6).
@Suite struct OutlierClipTests {
  /// One run whose grad_norm is ~1 but for a spike of 500 at step 40.
  static func spiky() -> DashboardState {
    var s = Fixtures.state(
      [
        (
          Fixtures.manifest("spiky"),
          Fixtures.store(steps: 100) { i in
            [("grad_norm", i == 40 ? 500 : 1 + Double(i % 10) / 10)]
          }
        )
      ], width: 100, height: 30)
    _ = update(&s, .key(.char("M")))
    _ = update(&s, .key(.char("/")))
    for c in "grad_norm" { _ = update(&s, .key(.char(c))) }
    _ = update(&s, .key(.enter))
    _ = update(&s, .key(.enter))
    return s
  }

  @Test func theToggleFitsTheRangeToWhatMostPointsAreAndMarksTheSpike() {
    var s = Self.spiky()
    let before = render(s).plainText
    #expect(before.contains("500") || before.contains("400"), "full range")
    _ = update(&s, .key(.char("%")))
    #expect(s.clipOutliers)
    let g = render(s)
    expectSnapshot(g, "outliers-clipped")
    expectAlignedAndClean(g)
    #expect(g.plainText.contains("5-95%"))
    #expect(!g.plainText.contains("400"))
    // The spike at step 40 is an arrow on the top edge.
    let rows = g.plainText.split(separator: "\n").map(String.init)
    #expect(rows[2].contains("↑"), "\(rows[2])")
    _ = update(&s, .key(.char("%")))
    #expect(render(s).plainText == before)
  }
}

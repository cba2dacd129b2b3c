import Foundation
import RunLog
import Testing

@testable import Dashboard

/// `dpotop report`: one self-contained page of the sample runs.
@Suite struct HTMLReportTests {
  static func report() throws -> String {
    let state = try SampleRuns.state()
    let loaded = try LoadedRun.loadAll(under: SampleRuns.path()).map(\.run)
    let light = try ThemeParser.parse(
      String(contentsOfFile: SampleRuns.path("../themes/light.theme"), encoding: .utf8),
      path: "light.theme", name: "light"
    ).theme
    return HTMLReport(
      state: state, seeds: SeedGroupSummary(loaded), roots: ["sample-runs"], light: light,
      dark: .builtin
    ).html()
  }

  @Test func selfContainedWithEverySection() throws {
    let html = try Self.report()
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    // Nothing fetched: no script, no link, no URL but the SVG namespace.
    #expect(!html.contains("<script"))
    #expect(!html.contains("<link"))
    #expect(!html.contains("@import") && !html.contains("url(http"))
    #expect(!html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http"))
    for section in ["id=\"runs\"", "id=\"charts\"", "id=\"seeds\"", "id=\"tokens\""] {
      #expect(html.contains(section), "missing \(section)")
    }
    #expect(html.contains("prefers-color-scheme: dark"))
    #expect(html.contains("@media print"))
    #expect(html.contains("compare view"))
    for name in ["dpo-b0.1-s1", "dpop-b1.0-s1", "reference"] {
      #expect(html.contains(name), "no run \(name)")
    }
    #expect(SampleRuns.count("<pre class=\"tokens\">", in: html) >= 8)
  }

  @Test func sameRunsGiveTheSameBytes() throws {
    #expect(try Self.report() == Self.report())
  }
}

import Foundation
import Testing

/// `dpotop render SWEEP --detail` and `--screen tokens` show the first run of
/// the sweep, not nothing: the grouped list opens on the sweep's header row,
/// which has no run of its own (found when the README's token view was
/// re-rendered from the shipped sweep).
@Suite struct RenderSweepScreensTests {
  private var sweep: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("sample-runs/beta-sweep").path
  }

  private func render(_ extra: [String]) throws -> String {
    let dir = try Fixtures.tempDir("render-sweep")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let log = dir + "/out.txt"
    let argv =
      ["/usr/bin/env", "LANG=C.UTF-8", try Fixtures.binary(), "render", sweep, "--size", "100x20"]
      + extra
    let pid = try Fixtures.spawn(argv, log: log)
    #expect(Fixtures.waitExit(pid) == 0)
    return String(decoding: FileManager.default.contents(atPath: log) ?? Data(), as: UTF8.self)
  }

  @Test func detailOfASweepIsItsFirstRun() throws {
    let out = try render(["--detail"])
    #expect(out.hasPrefix("┌run dpo-b0.1-s1"), "\(out)")
  }

  @Test func tokenViewOfASweepIsItsFirstRunsProbes() throws {
    let out = try render(["--screen", "tokens", "--probe", "2", "--no-color"])
    #expect(out.hasPrefix("┌tokens dpo-b0.1-s1  probe 2"), "\(out)")
    #expect(out.contains("shared "))
  }
}

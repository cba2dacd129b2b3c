import Foundation
import Testing

/// `dpotop render` and the dashboard follow one rule for Unicode or ASCII
/// (issue #16 defect 7): the locale decides, `--ascii` and `--utf8` override.
@Suite struct RenderGlyphsTests {
  /// The output of `dpotop render` under the environment `env`.
  private func render(_ env: [String], _ extra: [String] = []) throws -> String {
    let root = try Fixtures.tempDir("render-glyphs")
    defer { try? FileManager.default.removeItem(atPath: root) }
    try Fixtures.writeRun(root: root, name: "dpo-b0.1", objective: "dpo", beta: 0.1, steps: 50)
    let log = root + "/out.txt"
    let argv =
      ["/usr/bin/env", "-i", "PATH=/usr/bin:/bin"] + env
      + [try Fixtures.binary(), "render", root, "--size", "80x24"] + extra
    let pid = try Fixtures.spawn(argv, log: log)
    #expect(Fixtures.waitExit(pid) == 0)
    return String(decoding: FileManager.default.contents(atPath: log) ?? Data(), as: UTF8.self)
  }

  private func isASCII(_ s: String) -> Bool { s.unicodeScalars.allSatisfy(\.isASCII) }

  @Test func localeDecidesAndFlagsOverride() throws {
    let c = try render(["LANG=C", "LC_ALL=C"])
    #expect(c.contains("dpo-b0.1"))
    #expect(isASCII(c), "render under LANG=C:\n\(c)")
    let utf8 = try render(["LANG=C.UTF-8"])
    #expect(utf8.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) })
    #expect(isASCII(try render(["LANG=C.UTF-8"], ["--ascii"])))
    #expect(!isASCII(try render(["LANG=C", "LC_ALL=C"], ["--utf8"])))
  }
}

import Foundation
import RunLog
import Testing

/// `dpotop --version`: the version, then one `key: value` line per fact
/// about the build (the platform now; the CPU requirements join it).
struct VersionTests {
  @Test func versionNamesThePlatform() throws {
    let dir = try Fixtures.tempDir("version")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let status = Fixtures.waitExit(
      try Fixtures.spawn([try Fixtures.binary(), "--version"], log: dir + "/out"))
    let lines = (readTextFile(dir + "/out") ?? "").split(separator: "\n").map(String.init)
    #expect(status == 0)
    #expect(lines.first?.hasPrefix("dpotop ") == true)
    var u = utsname()
    uname(&u)
    let machine = withUnsafeBytes(of: &u.machine) {
      String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
    }
    #expect(lines.contains("platform: linux-\(machine)"), "\(lines)")
  }
}

import Foundation
import Testing

@testable import Dashboard
@testable import RunLog

/// Where the user left off: saved, read back, put back; never fatal.
@Suite struct SavedViewTests {
  static func tempDir() throws -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("dpotop-view-\(getpid())-\(UUID().uuidString.prefix(8))").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// A state with two runs, after a person worked in it.
  static func worked() -> DashboardState {
    var s = Fixtures.twoRuns()
    _ = update(&s, .key(.char(" ")))  // mark dpo-b0.1
    _ = update(&s, .key(.char("/")))
    for c in "dpo" { _ = update(&s, .key(.char(c))) }
    _ = update(&s, .key(.enter))
    _ = update(&s, .key(.char("s")))
    _ = update(&s, .key(.char("+")))
    _ = update(&s, .key(.char("X")))
    _ = update(&s, .key(.char("C")))
    _ = update(&s, .key(.char("4")))
    _ = update(&s, .key(.char("M")))
    _ = update(&s, .key(.char("/")))
    for c in "rewards" { _ = update(&s, .key(.char(c))) }
    _ = update(&s, .key(.enter))
    return s
  }

  @Test func roundTripThroughTheFile() throws {
    let dir = try Self.tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let file = SavedViewFile(directory: dir + "/state/dpotop", roots: ["/data/runs"])
    #expect(file.load() == .none)
    let s = Self.worked()
    let view = s.savedView(roots: file.roots)
    #expect(file.save(view) == nil)
    guard case .view(let back) = file.load() else {
      Issue.record("no view read back from \(file.path)")
      return
    }
    #expect(back == view)

    // A new session on the same directories: restored before the runs arrive.
    var fresh = DashboardState(config: DashboardConfig(width: 120, height: 40))
    fresh.restore(back)
    for (name, objective) in [("dpo-b0.1", "dpo"), ("dpop-b0.1", "dpop")] {
      _ = update(
        &fresh,
        .runUpdated(
          id: "runs/" + name, kind: "dpotop",
          manifest: Fixtures.manifest(name, objective: objective)))
    }
    #expect(fresh.selected == s.selected)
    #expect(fresh.filter == "dpo" && fresh.screen == .metrics)
    #expect(fresh.metrics.filter == "rewards")
    #expect(fresh.smoothing && fresh.smoothingWeight == s.smoothingWeight)
    #expect(fresh.xAxis == s.xAxis && fresh.xAxis != .step)
    #expect(fresh.compareStyle && fresh.chartFocus == 3)
    #expect(fresh.savedView(roots: file.roots) == view)
  }

  @Test func collapsedSweepsComeBack() {
    var s = Fixtures.state([(Fixtures.manifest("a"), Fixtures.store(steps: 3))])
    _ = update(&s, .runUpdated(id: "other/b", kind: "dpotop", manifest: Fixtures.manifest("b")))
    _ = update(&s, .key(.char("g")))
    _ = update(&s, .key(.char("o")))
    let view = s.savedView(roots: ["/r"])
    #expect(view.collapsed.count == 1)
    var t = DashboardState(config: DashboardConfig(width: 120, height: 40))
    t.restore(view)
    _ = update(&t, .runUpdated(id: "runs/a", kind: "dpotop", manifest: Fixtures.manifest("a")))
    _ = update(&t, .runUpdated(id: "other/b", kind: "dpotop", manifest: Fixtures.manifest("b")))
    #expect(t.collapsed == s.collapsed)
    #expect(t.rows.count == s.rows.count)
  }

  @Test func corruptAndForeignFilesAreIgnoredWithAReason() throws {
    let dir = try Self.tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let file = SavedViewFile(directory: dir, roots: ["/data/runs"])
    func written(_ text: String) throws -> SavedViewFile.Loaded {
      try Data(text.utf8).write(to: URL(fileURLWithPath: file.path))
      return file.load()
    }
    for (text, reason) in [
      ("{\"format\": \"dpotop-view\", \"marks\": [", "unreadable"),
      ("\u{0}\u{1}binary", "unreadable"),
      ("{\"format\": \"tbtui-session\", \"version\": 1}", "not a dpotop view"),
      ("{\"format\": \"dpotop-view\", \"version\": 99}", "newer dpotop"),
      (
        "{\"format\": \"dpotop-view\", \"version\": 1, \"roots\": [\"/elsewhere\"]}",
        "other directories"
      ),
    ] {
      let loaded = try written(text)
      guard case .ignored(let why) = loaded else {
        Issue.record("\(text) was not ignored: \(loaded)")
        continue
      }
      #expect(why.contains(reason), "\(why)")
    }
    // Fields a hand edit left out or broke take their defaults, clamped.
    let loaded = try written(
      "{\"format\": \"dpotop-view\", \"version\": 1, \"roots\": [\"/data/runs\"], "
        + "\"chartFocus\": 999, \"smoothingWeight\": 7, \"xAxis\": \"furlongs\", "
        + "\"metricsColumns\": -3}")
    guard case .view(let view) = loaded else {
      Issue.record("a partial view was not read: \(loaded)")
      return
    }
    var s = Fixtures.twoRuns()
    s.restore(view)
    #expect(s.chartFocus == ChartKind.allCases.count - 1)
    #expect(s.smoothingWeight == 0.99 && s.xAxis == .step && s.metrics.columns == 1)
  }

  @Test func aDirectoryThatCannotBeWrittenIsNotFatal() throws {
    let dir = try Self.tempDir()
    defer {
      chmod(dir, 0o755)
      try? FileManager.default.removeItem(atPath: dir)
    }
    let view = Fixtures.twoRuns().savedView(roots: ["/r"])
    // Under /proc nothing can be created, root or not.
    let proc = SavedViewFile(directory: "/proc/self/dpotop-state", roots: ["/r"])
    #expect(proc.save(view) != nil)
    #expect(proc.load() == .none)
    // A read-only state directory (root writes it anyway).
    chmod(dir, 0o555)
    let readOnly = SavedViewFile(directory: dir + "/dpotop", roots: ["/r"])
    if geteuid() != 0 { #expect(readOnly.save(view)?.contains("not saved") == true) }
    // A file where the directory should be.
    try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "-file"))
    defer { try? FileManager.default.removeItem(atPath: dir + "-file") }
    let blocked = SavedViewFile(directory: dir + "-file/dpotop", roots: ["/r"])
    #expect(blocked.save(view)?.contains("not saved") == true)
  }

  @Test func fileNamesAreStablePerRootsAndSafe() {
    let a = SavedViewFile(directory: "/s", roots: ["/data/b", "/data/a"])
    let b = SavedViewFile(directory: "/s", roots: ["/data/a", "/data/b"])
    #expect(a.path == b.path)
    #expect(a.path.hasPrefix("/s/b-") && a.path.hasSuffix(".json"))
    let odd = SavedViewFile(directory: "/s", roots: ["/x/../we ird$name"])
    #expect(!odd.path.dropFirst(3).contains("/") && !odd.path.contains(" "))
    #expect(SavedViewFile.hash(["/data/a"]) == SavedViewFile.hash(["/data/a"]))
    #expect(SavedViewFile.hash(["/data/a"]) != SavedViewFile.hash(["/data/b"]))
    #expect(
      SavedViewFile.directory(environment: ["XDG_STATE_HOME": "/st", "HOME": "/h"]) == "/st/dpotop")
    #expect(SavedViewFile.directory(environment: ["HOME": "/h"]) == "/h/.local/state/dpotop")
    #expect(SavedViewFile.directory(environment: [:]) == nil)
  }
}

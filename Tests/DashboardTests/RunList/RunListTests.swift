import RunLog
import Testing

@testable import Dashboard

/// The runs pane's model on its own: grouping, filtering, collapsing, the
/// cursor staying on its run, scrolling, seed lines and removal.
@Suite struct RunListTests {
  /// Runs `runs/a/x`, `runs/b/y` and `runs/a/z`, added in that order
  /// (two directories: headers show).
  static func twoDirectories() -> RunList {
    var list = RunList()
    for id in ["runs/a/x", "runs/b/y", "runs/a/z"] {
      let name = String(id.split(separator: "/").last ?? "")
      list.upsert(id: id, kind: "dpotop", manifest: Fixtures.manifest(name), rowsShown: 10)
    }
    return list
  }

  @Test func oneDirectoryListsRunsWithoutHeaders() {
    var list = RunList()
    let addedX = list.upsert(
      id: "runs/a/x", kind: "dpotop", manifest: Fixtures.manifest("x"), rowsShown: 10)
    let addedZ = list.upsert(
      id: "runs/a/z", kind: "dpotop", manifest: Fixtures.manifest("z"), rowsShown: 10)
    #expect(addedX && addedZ)
    #expect(!list.showsHeaders)
    #expect(list.rows == [.run(0), .run(1)])
    #expect(list.visible == [0, 1])
    #expect(list.cursorRun?.id == "runs/a/x")
  }

  @Test func runsAreGroupedByDirectoryUnderHeaders() {
    let list = Self.twoDirectories()
    #expect(list.groups.map(\.title) == ["runs/a", "runs/b"])
    #expect(list.groups.map(\.members) == [[0, 2], [1]])
    #expect(list.rows == [.header(0), .run(0), .run(2), .header(1), .run(1)])
    #expect(list.visible == [0, 2, 1])
    #expect(list.progress(of: 0) == "2 runs: 2 finished")
    #expect(list.run("runs/a/z")?.manifest.name == "z")
    #expect(list.run("runs/c/w") == nil)
  }

  @Test func aRefreshedManifestIsNotANewRun() {
    var list = Self.twoDirectories()
    let added = list.upsert(
      id: "runs/b/y", kind: "trl", manifest: Fixtures.manifest("y", status: .running),
      rowsShown: 10)
    #expect(!added)
    #expect(list.runs.count == 3)
    #expect(list.run("runs/b/y")?.kind == "trl")
    #expect(list.progress(of: 1) == "1 run: 1 running")
  }

  @Test func theFilterKeepsTheCursorOnItsRun() {
    var list = Self.twoDirectories()
    list.moveCursor(to: 4, rowsShown: 10)
    #expect(list.cursorRun?.id == "runs/b/y")
    list.setFilter("y", rowsShown: 10)
    #expect(list.visible == [1])
    #expect(list.rows == [.header(1), .run(1)])
    #expect(list.cursor == 1 && list.cursorRun?.id == "runs/b/y")
    #expect(list.groupRuns(0).isEmpty && list.groupRuns(1).map(\.id) == ["runs/b/y"])
    list.setFilter("", rowsShown: 10)
    #expect(list.rows.count == 5)
    #expect(list.cursor == 4 && list.cursorRun?.id == "runs/b/y")
  }

  @Test func collapsingPutsTheCursorOnTheHeader() {
    var list = Self.twoDirectories()
    list.moveCursor(to: 4, rowsShown: 10)
    list.toggleCollapsed(rowsShown: 10)
    #expect(list.collapsed == ["dir\u{1F}runs/b"])
    #expect(list.rows == [.header(0), .run(0), .run(2), .header(1)])
    #expect(list.cursor == 3 && list.cursorRun == nil)
    // A header's runs are what the charts show for it.
    #expect(list.cursorRuns.map(\.id) == ["runs/b/y"])
    list.toggleAllCollapsed(rowsShown: 10)
    #expect(list.rows == [.header(0), .header(1)])
    #expect(list.cursor == 1)
    list.toggleAllCollapsed(rowsShown: 10)
    #expect(list.collapsed.isEmpty)
    #expect(list.rows.count == 5 && list.cursor == 3)
  }

  @Test func theCursorStaysInTheListAndScrollFollowsIt() {
    var list = Self.twoDirectories()
    list.moveCursor(to: 4, rowsShown: 2)
    #expect(list.cursor == 4 && list.scroll == 3)
    list.moveCursor(by: -10, rowsShown: 2)
    #expect(list.cursor == 0 && list.scroll == 0)
    list.moveCursor(by: 100, rowsShown: 2)
    #expect(list.cursor == 4 && list.scroll == 3)
    list.moveCursor(by: -2, rowsShown: 2)
    #expect(list.cursor == 2 && list.scroll == 2)
  }

  @Test func seedLinesJoinRunsThatDifferOnlyInSeed() {
    var list = RunList()
    for (objective, seed) in [("dpo", 1), ("dpo", 2), ("dpop", 1)] {
      let (id, m) = SweepGroupsTests.sweepRun("s", objective, 0.1, seed: seed)
      list.upsert(id: id, kind: "dpotop", manifest: m, rowsShown: 10)
    }
    #expect(list.groups.count == 1 && list.groups[0].isSweep)
    #expect(list.rows == [.header(0), .run(0), .run(1), .run(2)])
    list.seedLines = true
    list.refilter(rowsShown: 10)
    #expect(list.rows == [.header(0), .seeds([0, 1]), .run(2)])
    list.moveCursor(to: 1, rowsShown: 10)
    #expect(list.cursorRuns.map(\.manifest.seed) == [1, 2])
  }

  @Test func removingARunReindexesAndKeepsTheCursor() {
    var list = Self.twoDirectories()
    list.moveCursor(to: 2, rowsShown: 10)
    #expect(list.cursorRun?.id == "runs/a/z")
    let removed = list.remove(id: "runs/a/x", rowsShown: 10)
    let again = list.remove(id: "runs/a/x", rowsShown: 10)
    #expect(removed && !again)
    #expect(list.runs.map(\.id) == ["runs/b/y", "runs/a/z"])
    #expect(list.groups.map(\.title) == ["runs/b", "runs/a"])
    #expect(list.rows == [.header(0), .run(0), .header(1), .run(1)])
    #expect(list.cursor == 3 && list.cursorRun?.id == "runs/a/z")
  }

  @Test func aRunMovingDirectoryChangesGroup() {
    var list = Self.twoDirectories()
    var m = Fixtures.manifest("x")
    m.sweepId = "sweep-1"
    list.upsert(id: "runs/a/x", kind: "dpotop", manifest: m, rowsShown: 10)
    #expect(list.groups.map(\.isSweep) == [true, false, false])
    #expect(list.groups.map(\.members) == [[0], [1], [2]])
    #expect(list.rows == [.header(0), .run(0), .header(1), .run(1), .header(2), .run(2)])
  }
}

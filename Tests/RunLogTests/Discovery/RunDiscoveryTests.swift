import Foundation
import Testing

@testable import RunLog

/// One discovery for every command (issue #16 items 4 and 5).
@Suite struct RunDiscoveryTests {
  private func dir(_ root: String, _ name: String) -> String {
    let p = root + "/" + name
    try? FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
    return p
  }

  /// A directory with `metrics.jsonl` and no run.json is a run by the file's
  /// name, whatever its first line: empty, longer than any sniffing buffer, bad.
  @Test func metricsJSONLWithoutRunJSONIsARunByItsName() throws {
    let root = Fixture.tempDir()
    Fixture.write(dir(root, "empty") + "/metrics.jsonl", [])
    let long = "{\"step\": 1, \"note\": \"" + String(repeating: "a", count: 300_000) + "\"}\n"
    Fixture.write(
      dir(root, "long") + "/metrics.jsonl", Array((long + "{\"step\": 2, \"loss\": 1}\n").utf8))
    Fixture.write(
      dir(root, "badfirst") + "/metrics.jsonl", Array("garbage\n{\"step\": 3, \"loss\": 2}\n".utf8))
    let found = RunDiscovery.find(under: root)
    #expect(found.map { ($0.path as NSString).lastPathComponent } == ["badfirst", "empty", "long"])
    let all = try LoadedRun.loadAll(under: root)
    #expect(all.map(\.run.store.recordCount) == [1, 0, 2])
    #expect(all[0].run.badCount == 1)
    #expect(all[2].run.store.series("loss")?.steps == [2])
    #expect(all[1].run.manifest?.name == "empty")
  }

  /// Another `*.jsonl` is a log when any line in the head window parses, not only the first.
  @Test func otherJSONLIsALogWhenAnyLineInTheWindowParses() {
    let root = Fixture.tempDir()
    let log = dir(root, "log")
    Fixture.write(log + "/history.jsonl", Array("oops\n[1]\n{\"global_step\": 5, \"x\": 1}\n".utf8))
    let data = dir(root, "data")
    Fixture.write(data + "/train.jsonl", Array("{\"prompt\": \"a\"}\n{\"prompt\": \"b\"}\n".utf8))
    #expect(RunDiscovery.find(under: root).map(\.path) == [log])
    // The window is bounded: a log whose first record is past it is not sniffed.
    let far = dir(root, "far")
    let filler = String(repeating: "x", count: MetricsLogSniffer.window) + "\n"
    Fixture.write(far + "/h.jsonl", Array((filler + "{\"step\": 1, \"x\": 1}\n").utf8))
    #expect(!MetricsLogSniffer.isLog(far + "/h.jsonl"))
  }

  /// `summary DIR` on a directory of runs (a sweep) reads every run in it, as render does.
  @Test func loadAllReadsEveryRunOfADirectoryOfRuns() throws {
    let root = Fixture.tempDir()
    for name in ["b", "a"] {
      let run = RunDirectory(path: root + "/sweep/" + name)
      try run.create()
      try run.writeManifest(RunManifest(id: name, name: name, createdAt: 0))
      Fixture.write(run.metricsPath, Array("{\"step\": 1, \"loss\": 0.5}\n".utf8))
    }
    let all = try LoadedRun.loadAll(under: root)
    #expect(all.map { $0.run.manifest?.name } == ["a", "b"])
    #expect(all.map { $0.run.store.series("loss")?.count } == [1, 1])
    #expect(RunDiscovery.sources(under: root).map(\.id) == all.map(\.run.path))
    #expect(throws: RunLogError.self) { try LoadedRun.loadAll(under: Fixture.tempDir()) }
  }

  /// A `.jsonl` file given directly is a run for every command: `metrics.jsonl`
  /// with dpotop's names (its run.json as manifest), another with the importers'.
  @Test func jsonlFileGivenDirectly() throws {
    let root = Fixture.tempDir()
    let log = root + "/log_history.jsonl"
    Fixture.write(log, Array("{\"global_step\": 1, \"eval_loss\": 0.5, \"loss\": 1}\n".utf8))
    let sources = RunDiscovery.sources(under: log)
    #expect(sources.map(\.kind) == ["jsonl"])
    let (run, _) = try LoadedRun.load(try #require(sources.first))
    #expect(run.store.series("loss", .eval)?.values == [0.5])
    #expect(run.store.series("loss")?.values == [1])
    #expect(run.manifest?.name == (root as NSString).lastPathComponent)
    let native = root + "/metrics.jsonl"
    Fixture.write(native, Array("{\"step\": 1, \"eval_loss\": 0.5}\n".utf8))
    let (own, _) = try LoadedRun.load(try #require(RunDiscovery.source(at: native)))
    #expect(own.store.series("eval_loss")?.values == [0.5])
    // Within a walk, the directory is the run, not its files.
    #expect(RunDiscovery.find(under: root).map(\.path) == [root])
  }

  /// Discovery asks only its `FileTree`: a tree that is not the local disk
  /// (how a remote host plugs in) finds the same runs.
  @Test func findWorksOnAnyFileTree() {
    let tree = MemoryTree(files: [
      "/r/sweep/a/run.json": Array("{}".utf8),
      "/r/sweep/b/metrics.jsonl": [],
      "/r/out/checkpoint-2/trainer_state.json": Array("{}".utf8),
      "/r/data/train.jsonl": Array("{\"prompt\": 1}\n".utf8),
      "/r/m.csv": Array("step,loss\n".utf8),
    ])
    let found = RunDiscovery.find(under: "/r", in: tree)
    #expect(found.map(\.path) == ["/r/m.csv", "/r/out", "/r/sweep/a", "/r/sweep/b"])
    #expect(found.map(\.format.name) == ["csv", "trl", "dpotop", "trl"])
  }
}

/// An in-memory `FileTree` (directories implied by file paths).
struct MemoryTree: FileTree {
  var files: [String: [UInt8]]

  func entry(_ path: String) -> FileEntry? {
    if let f = files[path] {
      return FileEntry(isDirectory: false, size: Int64(f.count), mtime: (0, 0), identity: nil)
    }
    let isDir = files.keys.contains { $0.hasPrefix(path + "/") }
    return isDir ? FileEntry(isDirectory: true, size: 0, mtime: (0, 0), identity: nil) : nil
  }

  func list(_ path: String) -> [String]? {
    let names = files.keys.filter { $0.hasPrefix(path + "/") }
      .map { String($0.dropFirst(path.count + 1).split(separator: "/")[0]) }
    return Array(Set(names))
  }

  func head(_ path: String, count: Int) -> [UInt8]? { files[path].map { Array($0.prefix(count)) } }
}

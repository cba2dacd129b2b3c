import Foundation
import Testing

@testable import RunLog

/// A damaged run.json (issue #16 defect 6): the metrics are still shown, with
/// an error naming the file and where; `summary` exits 1. And `summary DIR`
/// reads every run under DIR (item 5).
@Suite struct DamagedManifestTests {
  private func run(_ dir: TempDir, _ name: String, manifest: String) -> String {
    let path = dir.file(name)
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    dir.write(name + "/run.json", manifest)
    dir.write(name + "/metrics.jsonl", "{\"step\":1,\"loss\":0.5}\n{\"step\":2,\"loss\":0.25}\n")
    return path
  }

  private let good = """
    {
      "created_at": 0,
      "format_version": 1,
      "id": "x",
      "name": "x",
      "status": "running",
      "trainer": "dpotop"
    }
    """

  @Test func eachKindOfDamageNamesFileAndWhereAndKeepsTheMetrics() throws {
    let dir = TempDir()
    let cases: [(String, String, String)] = [
      ("syntax", good.replacingOccurrences(of: "\"id\":", with: "\"id\""), "line 4, column 8"),
      (
        "type", good.replacingOccurrences(of: "\"name\": \"x\"", with: "\"name\": 3"),
        "field \"name\""
      ),
      (
        "nan", good.replacingOccurrences(of: "\"created_at\": 0", with: "\"created_at\": NaN"),
        "line 2, column 17: NaN"
      ),
    ]
    for (name, text, where_) in cases {
      let path = run(dir, name, manifest: text)
      let all = try LoadedRun.loadAll(under: path)
      #expect(all.count == 1)
      let loaded = try #require(all.first?.run)
      #expect(loaded.store.series("loss")?.steps == [1, 2], "\(name)")
      let error = try #require(loaded.manifestError, "\(name)")
      #expect(error.hasPrefix(path + "/run.json: bad manifest: " + where_), "\(name): \(error)")
      #expect(!error.contains("The given data was not valid JSON"))
      if name == "type" { #expect(error.hasSuffix("(line 5)")) }
      // The old loader agrees.
      #expect(try LoadedRun.load(path).manifestError == error)
    }
    let result = try runDpotop(["summary", dir.file("syntax")])
    #expect(result.status == 1)
    #expect(result.stdout.contains("train  loss"))
    #expect(result.stdout.contains("manifest error: \(dir.file("syntax"))/run.json"))
    #expect(result.stderr.contains("line 4, column 8"))
  }

  @Test func summaryOfADirectoryOfRunsSummarisesEach() throws {
    let dir = TempDir()
    _ = run(dir, "sweep/a", manifest: good)
    _ = run(dir, "sweep/b", manifest: good)
    let result = try runDpotop(["summary", dir.path])
    #expect(result.status == 0)
    #expect(result.stdout.contains("run: \(dir.file("sweep/a"))\n"))
    #expect(result.stdout.contains("run: \(dir.file("sweep/b"))\n"))
    let empty = TempDir()
    let none = try runDpotop(["summary", empty.path])
    #expect(none.status == 1 && none.stderr.contains("no runs found"))
  }
}

import Foundation
import Testing

@testable import Training

@Suite struct DatasetExportTests {
  func tempDir() -> String {
    FileManager.default.temporaryDirectory.path
      + "/export-data-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
  }

  func rows(_ path: String) throws -> [[String: Any]] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return try text.split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
  }

  @Test func pairsAreTheTrainersSplitInItsOrder() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var export = DatasetExport(dataset: .mathLowEdit, directory: dir)
    export.seed = 7
    export.trainRows = 50
    export.testRows = 20
    let summary = try export.run()
    // What `dpotop train --data math-low-edit --seed 7 --train-rows 50` loads.
    let data = try DatasetSource.preferences(
      "math-low-edit", trainCount: 50, heldOutCount: 20, seed: 7)
    #expect(summary == .init(train: 50, test: 20, meanEditDistance: data.meanEditDistance))
    for (file, pairs) in [("train.jsonl", data.train), ("test.jsonl", data.heldOut)] {
      let got = try rows(dir + "/" + file)
      #expect(got.count == pairs.count)
      for (row, pair) in zip(got, pairs) {
        #expect(row["prompt"] as? String == pair.prompt)
        #expect(row["chosen"] as? String == pair.chosen)
        #expect(row["rejected"] as? String == pair.rejected)
        #expect(row["answer"] as? String == pair.answer)
        #expect(
          row["edit_distance"] as? Int == EditDistance.levenshtein(pair.chosen, pair.rejected))
      }
    }
    // Exactly the trainer's figure: read with JSONDecoder (JSONSerialization
    // rounds the last digit of some doubles on Linux).
    struct Distance: Decodable { var normalized_edit_distance: Double }
    let text = try String(contentsOfFile: dir + "/test.jsonl", encoding: .utf8)
    let distances = try text.split(separator: "\n").map {
      try JSONDecoder().decode(Distance.self, from: Data($0.utf8)).normalized_edit_distance
    }
    #expect(distances == data.heldOut.map(\.normalizedEditDistance))
    // A low-edit pair differs in one intermediate result: a few characters.
    let first = try rows(dir + "/test.jsonl")[0]
    #expect((1...3).contains(first["edit_distance"] as? Int ?? 0))
    #expect(FileManager.default.fileExists(atPath: dir + "/README.md"))
  }

  @Test func testRowsArePrefixesOfTheFullHeldOutSet() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var export = DatasetExport(dataset: .mathHighEdit, directory: dir)
    export.trainRows = 5
    export.testRows = 8
    _ = try export.run()
    let full = try BuiltinDataset.mathHighEdit.preferenceDataset(trainCount: 5, seed: 1).heldOut
    #expect(full.count == BuiltinDataset.defaultHeldOutCount)
    #expect(
      try rows(dir + "/test.jsonl").map { $0["rejected"] as? String }
        == full.prefix(8).map(\.rejected))
  }

  @Test func supervisedRowsArePromptAndCompletion() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var export = DatasetExport(dataset: .math, directory: dir)
    export.trainRows = 10
    export.testRows = 4
    let summary = try export.run()
    #expect(summary.meanEditDistance == nil)
    let data = BuiltinDataset.math.sftDataset(trainCount: 10, heldOutCount: 4, seed: 1)
    let got = try rows(dir + "/test.jsonl")
    #expect(got.map { $0["completion"] as? String } == data.heldOut.map(\.completion))
    #expect(got.map { $0["answer"] as? String } == data.heldOut.map(\.answer))
    #expect(Set(got[0].keys) == ["prompt", "completion", "answer"])
  }

  @Test func aNonEmptyDirectoryIsRefusedUnlessForced() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/keep.txt"))
    var export = DatasetExport(dataset: .math, directory: dir)
    export.trainRows = 3
    export.testRows = 2
    #expect {
      try export.run()
    } throws: { error in
      "\(error)".hasPrefix("\(dir): exists and is not empty")
    }
    #expect(!FileManager.default.fileExists(atPath: dir + "/train.jsonl"))
    export.force = true
    #expect(try export.run().test == 2)
    #expect(FileManager.default.fileExists(atPath: dir + "/keep.txt"))
  }
}

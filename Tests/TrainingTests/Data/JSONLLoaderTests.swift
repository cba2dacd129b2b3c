import Foundation
import Testing

@testable import Training

@Suite struct JSONLLoaderTests {
  private func sft(_ text: String) throws -> [TextExample] {
    try SFTJSONL.parse(Data(text.utf8), path: "t.jsonl")
  }

  private func prefs(_ text: String) throws -> [PreferencePair] {
    try PreferenceJSONL.parse(Data(text.utf8), path: "p.jsonl")
  }

  /// The error `body` throws, as its one-line description.
  private func message(_ body: () throws -> Void) -> String? {
    do {
      try body()
      return nil
    } catch let error as DataError {
      return error.description
    } catch {
      return "unexpected \(error)"
    }
  }

  @Test func sftReadsCompletionOrChosenSkipsBlankLinesAndCRLF() throws {
    let rows = try sft(
      "{\"prompt\": \"1+1?\\n\", \"completion\": \"1+1=2\\n#### 2\"}\r\n\n"
        + "  \n{\"prompt\": \"p\", \"chosen\": \"c\", \"rejected\": \"r\", \"extra\": 5}")
    #expect(rows.count == 2)
    #expect(rows[0] == TextExample(prompt: "1+1?\n", completion: "1+1=2\n#### 2", answer: "2"))
    #expect(rows[1] == TextExample(prompt: "p", completion: "c", answer: nil))
  }

  @Test func preferenceReadsTRLStandardFormat() throws {
    let rows = try prefs(
      "\u{FEFF}{\"prompt\":\"Q\",\"chosen\":\"a\\n#### 4\",\"rejected\":\"b\\n#### 5\"}\n")
    #expect(
      rows == [PreferencePair(prompt: "Q", chosen: "a\n#### 4", rejected: "b\n#### 5", answer: "4")]
    )
  }

  @Test func errorsNameFileLineAndField() {
    let good = "{\"prompt\":\"Q\",\"chosen\":\"a\",\"rejected\":\"b\"}\n"
    #expect(
      message { _ = try prefs(good + "[1, 2]\n") }
        == "p.jsonl:2: expected a JSON object, found an array")
    #expect(
      message { _ = try prefs(good + "\n{\"prompt\":\"Q\",\"chosen\":\"a\"}\n") }
        == "p.jsonl:3: missing field \"rejected\"")
    #expect(
      message { _ = try prefs("{\"prompt\":\"Q\",\"chosen\":7,\"rejected\":\"b\"}") }
        == "p.jsonl:1: field \"chosen\": expected a string, found a number or boolean")
    #expect(
      message { _ = try prefs("{\"prompt\":\"\",\"chosen\":\"a\",\"rejected\":\"b\"}") }
        == "p.jsonl:1: field \"prompt\": empty string")
    #expect(
      message { _ = try prefs("{\"prompt\":null,\"chosen\":\"a\",\"rejected\":\"b\"}") }
        == "p.jsonl:1: missing field \"prompt\"")
    #expect(
      message { _ = try prefs(good + "{\"prompt\": \"Q\", \n") }?.hasPrefix(
        "p.jsonl:2: not valid JSON") == true)
    #expect(message { _ = try prefs("") } == "p.jsonl: no rows (empty file)")
    #expect(message { _ = try prefs("\n  \n") } == "p.jsonl: no rows (empty file)")
    #expect(
      message { _ = try sft("{\"prompt\":\"Q\"}") }?
        .hasPrefix("t.jsonl:1: missing field \"completion\"\n  hint: an SFT row needs") == true)
    let conversational =
      "{\"prompt\":[{\"role\":\"user\",\"content\":\"hi\"}],\"completion\":\"x\"}"
    #expect(message { _ = try sft(conversational) }?.contains("found an array") == true)
    #expect(message { _ = try sft(conversational) }?.contains("conversational") == true)
  }

  @Test func invalidUTF8IsReportedWithItsLine() {
    var data = Data("{\"prompt\":\"Q\",\"completion\":\"a\"}\n".utf8)
    data.append(contentsOf: [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D, 0x0A])
    #expect(
      message { _ = try SFTJSONL.parse(data, path: "t.jsonl") } == "t.jsonl:2: not valid UTF-8")
  }

  @Test func missingFileAndUnknownName() {
    #expect(
      message { _ = try SFTJSONL.load(path: "/nonexistent/x.jsonl") }?.hasPrefix(
        "/nonexistent/x.jsonl: cannot read") == true)
    let unknown = message { _ = try DatasetSource.preferences("no-such-set") }
    #expect(unknown?.hasPrefix("unknown dataset \"no-such-set\"") == true)
    #expect(unknown?.contains("math-low-edit") == true)
    #expect(
      message { _ = try DatasetSource.preferences("math", trainCount: 1, heldOutCount: 1) }?
        .hasPrefix("dataset \"math\" has no preference pairs") == true)
  }

  @Test func fileDatasetsSplitByPromptAndMeasureEditDistance() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "dpotop-data-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("pairs.jsonl").path
    var lines = ""
    for index in 0..<40 {
      lines += "{\"prompt\":\"q\(index)\",\"chosen\":\"abcd\",\"rejected\":\"abce\"}\n"
    }
    try lines.write(toFile: path, atomically: true, encoding: .utf8)
    let data = try DatasetSource.preferences(path)
    #expect(data.name == "pairs.jsonl")
    #expect(data.size == 40)
    #expect(!data.heldOut.isEmpty && !data.train.isEmpty)
    #expect(Set(data.train.map(\.prompt)).isDisjoint(with: data.heldOut.map(\.prompt)))
    #expect(data.meanEditDistance == 0.25)
    let sftData = try DatasetSource.sft(path)
    #expect(sftData.train.map(\.prompt) == data.train.map(\.prompt))
    #expect(sftData.train.first?.completion == "abcd")
  }

  @Test func tinyFilesStillGetAHeldOutRow() {
    let rows = ["a", "b"]
    let (train, heldOut) = DatasetSource.split(rows, prompt: { $0 })
    #expect(train.count == 1 && heldOut.count == 1)
    let single = DatasetSource.split(["a"], prompt: { $0 })
    #expect(single.heldOut.count + single.train.count == 1)
  }

  @Test func deepNestingAndOddValuesAreErrorsNotCrashes() {
    let deep =
      "{\"prompt\":" + String(repeating: "[", count: 5000)
      + String(repeating: "]", count: 5000) + "}\n"
    #expect(message { _ = try prefs(deep) }?.hasPrefix("p.jsonl:1:") == true)
    let bare = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    #expect(message { _ = try sft(bare) }?.hasPrefix("t.jsonl:1:") == true)
    #expect(
      message { _ = try sft("\"just a string\"") }
        == "t.jsonl:1: expected a JSON object, found a string")
    #expect(message { _ = try sft("null") } == "t.jsonl:1: expected a JSON object, found null")
    #expect(
      message { _ = try prefs("{\"prompt\":true,\"chosen\":\"a\",\"rejected\":\"b\"}") }
        == "p.jsonl:1: field \"prompt\": expected a string, found a number or boolean")
  }

  @Test func fuzzSeedCorpusBehavesAsDocumented() throws {
    // The seed files of Tests/FuzzCorpus: the good ones load, the bad ones name their line.
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("FuzzCorpus")
    let sftDir = root.appendingPathComponent("sft_jsonl").path
    let prefDir = root.appendingPathComponent("preference_jsonl").path
    #expect(try SFTJSONL.load(path: sftDir + "/math.jsonl").count == 2)
    #expect(try SFTJSONL.load(path: sftDir + "/chosen_crlf.jsonl").count == 2)
    #expect(
      message { _ = try SFTJSONL.load(path: sftDir + "/bad_field.jsonl") }?.contains(
        ":2: field \"completion\"") == true)
    #expect(try PreferenceJSONL.load(path: prefDir + "/low_high.jsonl").count == 2)
    let unicode = try PreferenceJSONL.load(path: prefDir + "/unicode.jsonl")
    #expect(unicode.first?.normalizedEditDistance == 1)
    #expect(
      message { _ = try PreferenceJSONL.load(path: prefDir + "/missing.jsonl") }?.contains(
        ":2: missing field \"rejected\"") == true)
    #expect(
      message { _ = try PreferenceJSONL.load(path: prefDir + "/bom_null.jsonl") }?.contains(
        ":1: missing field \"chosen\"") == true)
  }
}

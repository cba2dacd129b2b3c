import Foundation
import Testing

@testable import RunLog

@Suite struct SummaryTests {
  /// A run directory with a manifest and a metrics file holding a bad line and non-finite values.
  private func makeRun(_ dir: TempDir) throws -> String {
    let run = RunDirectory(path: dir.file("run-a"))
    try run.create()
    var m = RunManifest(id: "a", name: "dpop\u{1B}[31m", createdAt: 1, status: .finished)
    m.objective = "dpop"
    m.beta = 0.1
    try run.writeManifest(m)
    dir.write(
      "run-a/metrics.jsonl",
      """
      {"step":1,"loss":0.7,"rewards/margins":NaN}
      {"step":2,"loss":0.5,"rewards/margins":0.25}
      oops
      {"step":3,"loss":0.6,"rewards/margins":Infinity}
      {"step":3,"split":"eval","eval_loss":0.9}

      """)
    return run.path
  }

  @Test func statisticsPerMetric() throws {
    let dir = TempDir()
    let summary = RunSummary(try LoadedRun.load(try makeRun(dir)))
    #expect(summary.rows.map(\.key) == ["loss", "rewards/margins", "eval_loss"])
    let loss = summary.rows[0]
    #expect(loss.count == 3 && loss.firstStep == 1 && loss.lastStep == 3)
    #expect(loss.last == 0.6 && loss.min == 0.5 && loss.max == 0.7)
    let margins = summary.rows[1]
    #expect(margins.last == .infinity && margins.min == 0.25 && margins.max == 0.25)
    #expect(summary.rows[2].split == .eval)
    #expect(summary.run.badCount == 1 && summary.run.lineCount == 5)
  }

  @Test func textOutputShowsEssentialsAndEscapesControlCharacters() throws {
    let dir = TempDir()
    let path = try makeRun(dir)
    let text = RunSummary(try LoadedRun.load(path)).text()
    #expect(!text.contains("\u{1B}"))
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines[0] == "run: \(path)")
    #expect(
      lines[1]
        == "  name dpop\\u{1b}[31m  status finished  trainer dpotop  objective dpop  beta 0.1")
    #expect(lines[2] == "  lines 5  records 4  bad_lines 1")
    #expect(lines[3] == "  bad: \(path)/metrics.jsonl:3: expected a JSON object")
    #expect(
      lines[5]
        == "  train  loss                  3           1          3           0.6           0.5"
        + "           0.7")
    #expect(lines[6].hasSuffix("inf          0.25          0.25"))
  }

  @Test func jsonOutputIsValidJSONWithNonFiniteAsStrings() throws {
    let dir = TempDir()
    let json = RunSummary(try LoadedRun.load(try makeRun(dir))).json()
    let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
    #expect(object?["bad_lines"] as? Int == 1)
    #expect((object?["manifest"] as? [String: Any])?["name"] as? String == "dpop\u{1B}[31m")
    let metrics = object?["metrics"] as? [[String: Any]] ?? []
    #expect(metrics.count == 3)
    #expect(metrics[1]["key"] as? String == "rewards/margins")
    #expect(metrics[1]["last"] as? String == "Infinity")
    #expect(metrics[0]["min"] as? Double == 0.5)
  }

  @Test func notARunIsAClearError() throws {
    let dir = TempDir()
    try FileManager.default.createDirectory(
      atPath: dir.file("empty"), withIntermediateDirectories: false)
    #expect(throws: RunLogError.self) { try LoadedRun.load(dir.file("empty")) }
    do {
      _ = try LoadedRun.load(dir.file("empty"))
    } catch {
      #expect(error.description.hasPrefix("\(dir.file("empty")): not a run: no run.json"))
    }
    #expect(throws: RunLogError(.missing(path: dir.file("nope")))) {
      try LoadedRun.load(dir.file("nope"))
    }
  }

  @Test func runWhoseMetricsPathIsADirectoryFailsClearly() throws {
    let dir = TempDir()
    let run = RunDirectory(path: dir.file("r"))
    try run.create()
    try run.writeManifest(RunManifest(id: "r", name: "r", createdAt: 0))
    try FileManager.default.createDirectory(
      atPath: run.metricsPath, withIntermediateDirectories: false)
    let result = try runDpotop(["summary", run.path])
    #expect(result.status == 1)
    #expect(
      result.stderr
        == "dpotop: \(run.metricsPath): not a run: is a directory, expected a metrics file\n")
    // A run that has not logged yet is fine.
    try FileManager.default.removeItem(atPath: run.metricsPath)
    let fresh = try runDpotop(["summary", run.path])
    #expect(fresh.status == 0 && fresh.stdout.contains("(no metrics yet)"))
  }

  @Test func summaryCommandExitCodesAndOutput() throws {
    let dir = TempDir()
    let run = try makeRun(dir)
    let metrics = dir.write("bare.jsonl", "{\"step\":1,\"loss\":2}\n")
    let ok = try runDpotop(["summary", run, metrics])
    #expect(ok.status == 0)
    #expect(ok.stdout.contains("run: \(run)\n") && ok.stdout.contains("run: \(metrics)\n"))
    #expect(ok.stderr.isEmpty)

    let json = try runDpotop(["summary", "--json", run, metrics])
    #expect(json.status == 0)
    let array = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [Any]
    #expect(array?.count == 2)

    let bad = try runDpotop(["summary", run, dir.file("nope")])
    #expect(bad.status == 1)
    #expect(bad.stdout.contains("run: \(run)\n"))
    #expect(bad.stderr == "dpotop: \(dir.file("nope")): no such file or directory\n")

    let usage = try runDpotop(["summary"])
    #expect(usage.status == 2 && usage.stderr.hasPrefix("dpotop: summary needs at least one PATH"))
  }
}

/// Runs the built `dpotop` executable (built alongside the tests by `swift test`).
func runDpotop(_ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
  let candidates = [
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("dpotop").path,
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent(".build/debug/dpotop").path,
  ]
  guard let exe = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) })
  else {
    throw RunLogError(.missing(path: candidates.joined(separator: " or ")))
  }
  // posix_spawn rather than Foundation.Process, whose run() leaks a weak
  // reference side table that LeakSanitizer reports (swift test --sanitize=address).
  let dir = TempDir()
  let outPath = dir.file("stdout")
  let errPath = dir.file("stderr")
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
  posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
  let argv = ([exe] + args).map { strdup($0) } + [nil]
  defer { for a in argv { free(a) } }
  var pid: pid_t = 0
  let rc = posix_spawn(&pid, exe, &actions, nil, argv, environ)
  guard rc == 0 else {
    throw RunLogError(.notARun(path: exe, reason: String(cString: strerror(rc))))
  }
  var status: Int32 = 0
  while waitpid(pid, &status, 0) < 0, errno == EINTR {}
  let code = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
  return (code, readText(outPath), readText(errPath))
}

/// The contents of a file as text, read with plain syscalls (String(contentsOfFile:)
/// leaks a buffer on empty files under LeakSanitizer in this Foundation).
func readText(_ path: String) -> String {
  let fd = open(path, O_RDONLY)
  guard fd >= 0 else { return "" }
  defer { close(fd) }
  var bytes: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 65536)
  while true {
    let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    if n <= 0 { break }
    bytes += chunk[0..<n]
  }
  return String(decoding: bytes, as: UTF8.self)
}

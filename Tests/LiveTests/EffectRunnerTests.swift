import Dashboard
import Foundation
import RunLog
import Testing

@testable import Live

/// The effects the dashboard and `render` share, answered without a terminal.
@Suite struct EffectRunnerTests {
  @Test func aLogTailIsAnsweredAtOnceAndQuitIsLeftToTheCaller() throws {
    let root = try Fixtures.tempDir("effects")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let run = try Fixtures.writeRun(root: root, name: "a", objective: "dpo", beta: 0.1, steps: 1)
    try "one\ntwo\n".write(toFile: run.logPath, atomically: true, encoding: .utf8)
    let runner = EffectRunner(watcher: nil) { _ in }
    let done = runner.perform([.requestLogTail(id: run.path), .quit, .setTheme("next")])
    guard done.messages.count == 1, case .logTail(let id, let lines) = done.messages[0] else {
      Issue.record("\(done.messages)")
      return
    }
    #expect(id == run.path)
    #expect(lines == ["one", "two"])
    #expect(done.unhandled == [.quit, .setTheme("next")])
  }

  @Test func figuresAreWrittenWhereAskedAndSaidWhere() throws {
    let root = try Fixtures.tempDir("effects-figures")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let runner = EffectRunner(watcher: nil, figureBase: root) { _ in }
    let done = runner.perform([.writeFigures([FigureFile(name: "a.svg", svg: "<svg/>")])])
    guard done.messages.count == 1, case .notice(let text) = done.messages[0] else {
      Issue.record("\(done.messages)")
      return
    }
    #expect(text == "wrote 1 figure to \(root)/dpotop-figures/: a.svg")
    #expect(FileManager.default.fileExists(atPath: root + "/dpotop-figures/a.svg"))
  }
}

import Dashboard
import Foundation
import RunFixtures
import Terminal
import Testing

@testable import dpotop

/// The app loop's inbox as the run watcher uses it: a producer that waits
/// for each batch to be taken before reading the next slice of a big run.
@Suite struct InboxTests {
  /// Counts what a producer managed to queue ahead of the consumer.
  final class Progress: @unchecked Sendable {
    private let lock = NSLock()
    private var sent = 0
    func add() { lock.withLock { sent += 1 } }
    var count: Int { lock.withLock { sent } }
  }

  @Test func aProducerWaitsUntilEachBatchIsTakenAndOrderIsKept() throws {
    let inbox = Inbox(wake: try WakePipe())
    let progress = Progress()
    let producer = Thread {
      for i in 0..<50 {
        inbox.send([.notice("batch \(i)")])
        progress.add()
        inbox.waitUntilDrained()
      }
    }
    producer.start()
    var got: [String] = []
    let deadline = Date().addingTimeInterval(Deadline.screen)
    while got.count < 50 && Date() < deadline {
      // Never more than one batch ahead of what was taken.
      #expect(progress.count <= got.count + 1)
      for case .notice(let text) in inbox.drain() { got.append(text) }
      usleep(200)
    }
    #expect(got == (0..<50).map { "batch \($0)" })
  }

  @Test func closingReleasesAProducerThatWouldWaitForever() throws {
    let inbox = Inbox(wake: try WakePipe())
    let done = DispatchSemaphore(value: 0)
    let producer = Thread {
      inbox.send(.notice("never taken"))
      inbox.waitUntilDrained()
      done.signal()
    }
    producer.start()
    #expect(done.wait(timeout: .now() + 0.2) == .timedOut)
    inbox.close()
    #expect(done.wait(timeout: .now() + Deadline.screen) == .success)
  }
}

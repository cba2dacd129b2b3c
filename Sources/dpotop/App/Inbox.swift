import Dashboard
import Foundation
import Terminal

/// The app loop's one inbox: every producer (the run watcher thread, the
/// effect runner) sends `Msg`s here, and the main loop drains them.
///
/// A locked queue plus a wake pipe rather than an AsyncStream: the main loop
/// also sleeps in `poll(2)` on the terminal, so one file descriptor that
/// means "messages waiting" lets it wait for keys and messages at once.
final class Inbox: @unchecked Sendable {
  // @unchecked: `items` is only touched under `lock`; `wake` is Sendable.
  private let lock = NSCondition()
  private var items: [Msg] = []
  private var closed = false
  /// Written once per send so the loop wakes up.
  let wake: WakePipe

  /// An inbox waking the loop through `wake`.
  init(wake: WakePipe) {
    self.wake = wake
  }

  /// Queues `msg` and wakes the loop (any thread).
  func send(_ msg: Msg) {
    lock.withLock { items.append(msg) }
    wake.wake()
  }

  /// Queues several messages with one wake-up.
  func send(_ msgs: [Msg]) {
    guard !msgs.isEmpty else { return }
    lock.withLock { items += msgs }
    wake.wake()
  }

  /// Everything queued, oldest first; empties the queue.
  func drain() -> [Msg] {
    lock.withLock {
      let out = items
      items = []
      lock.broadcast()
      return out
    }
  }

  /// Blocks the calling producer until the loop has taken everything queued
  /// (or the inbox is closed). The run watcher calls this after each batch:
  /// reading a big run a slice at a time only bounds memory if the next
  /// slice waits until the last one has been merged.
  func waitUntilDrained() {
    lock.withLock {
      while !items.isEmpty && !closed { lock.wait() }
    }
  }

  /// Stops any wait (the loop is ending and will drain no more).
  func close() {
    lock.withLock {
      closed = true
      lock.broadcast()
    }
  }
}

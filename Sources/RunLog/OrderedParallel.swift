import Dispatch
import Foundation

/// Work on many runs at once, results in order: the one way `summary`,
/// `render` and the dashboard's first load read a folder of runs on every
/// core (a 1000-run folder is 1000 small files, each too small for
/// `TailReader`'s split-in-two read, so the cores are used across files).
///
/// Items are done a window at a time (`window` at once, on one thread per
/// core) and each window's results are handed to `deliver` in index order
/// before the next window starts, so what is held at once is one window of
/// results, not the whole folder.
///
/// Threads of its own, not `DispatchQueue.concurrentPerform`: on this Linux
/// libdispatch, a busy machine (load 4 on 2 cores) got one worker out of
/// `concurrentPerform` (97 % CPU for 32 iterations), so `summary` ran on one
/// core exactly when the machine was shared.
public enum OrderedParallel {
  /// Calls `work(i)` for every `i` in `0..<count`, `window` at a time on
  /// `threads` threads (default: one per core), and `deliver(i, result)` on
  /// the calling thread, in order. `work` must touch only what item `i` owns
  /// (escaping: a `Thread` may hold it a moment after it is done).
  public static func forEach<T>(
    _ count: Int, window: Int = 32,
    threads: Int = ProcessInfo.processInfo.activeProcessorCount,
    work: @escaping @Sendable (Int) -> T, deliver: (Int, T) -> Void
  ) {
    let window = max(1, window)
    var start = 0
    while start < count {
      let n = min(window, count - start)
      let slots = Slots<T>(n)
      let base = start
      let next = Counter()
      let drain: @Sendable () -> Void = {
        while let k = next.take(below: n) { slots.set(k, work(base + k)) }
      }
      let helpers = max(0, min(threads, n) - 1)
      let done = DispatchSemaphore(value: 0)
      for _ in 0..<helpers {
        Thread {
          drain()
          done.signal()
        }.start()
      }
      drain()
      for _ in 0..<helpers { done.wait() }
      for k in 0..<n { deliver(base + k, slots.take(k)) }
      start += n
    }
  }

  /// The next item of a window to take (any thread).
  private final class Counter: @unchecked Sendable {
    // @unchecked: `value` only under `lock`.
    private let lock = NSLock()
    private var value = 0
    func take(below n: Int) -> Int? {
      lock.withLock {
        guard value < n else { return nil }
        defer { value += 1 }
        return value
      }
    }
  }

  /// The results of one window: slot `k` is written by the one worker doing
  /// item `k`, and read only after every worker signalled it is done (the
  /// semaphore orders their writes before the reads).
  private final class Slots<T>: @unchecked Sendable {
    // Raw memory, not an array property: workers writing their own slots of
    // one array at once would be overlapping accesses to the property.
    private let items: UnsafeMutablePointer<T?>
    private let count: Int
    init(_ n: Int) {
      count = n
      items = .allocate(capacity: n)
      items.initialize(repeating: nil, count: n)
    }
    deinit {
      items.deinitialize(count: count)
      items.deallocate()
    }
    func set(_ k: Int, _ value: T) { items[k] = value }
    func take(_ k: Int) -> T {
      defer { items[k] = nil }
      return items[k]!
    }
  }
}

/// Hands a value that is not `Sendable` (a `RunSource`, a reader) to the one
/// worker that will use it: `OrderedParallel` gives item `i` to one thread
/// only, so no two threads touch it at once.
public struct Handoff<T>: @unchecked Sendable {
  public let value: T
  public init(_ value: T) { self.value = value }
}

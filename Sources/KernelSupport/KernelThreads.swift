import Dispatch
import Foundation

/// The kernels' own worker threads: parked between calls, woken for each
/// `parallelChunks` section, one chunk each.
///
/// Why not `DispatchQueue.concurrentPerform`: on this Linux libdispatch it
/// often ran a section's chunks on the calling thread alone. Measured idle on
/// a 2-core EPYC (`dpotop-bench matmul`, 2 threads): the qkv product ran at
/// 44.5 GFLOP/s against 46.2 on one thread, while numpy's two OpenBLAS threads
/// doubled theirs; a busy machine made it worse (the same finding as
/// `OrderedParallel`'s in RunLog). Workers of our own are woken every time.
///
/// One section at a time uses the pool: a second caller (tests run
/// concurrently in one process) or a nested section finds it busy and falls
/// back to `concurrentPerform`, so nothing waits on the pool and nothing can
/// deadlock on it. Chunk boundaries are the caller's, so which thread runs a
/// chunk never changes a result.
final class KernelThreads: @unchecked Sendable {
  static let shared = KernelThreads()

  /// Held by the section using the workers (`tryLock` only).
  private let busy = NSLock()
  /// Guards `workers` growing.
  private let grow = NSLock()
  private var workers: [Worker] = []
  /// Chunks finished by workers in the current section.
  private let finished = DispatchSemaphore(value: 0)

  /// One parked thread and the chunk it is to run next.
  private final class Worker: @unchecked Sendable {
    let wake = DispatchSemaphore(value: 0)
    /// Set by the caller before `wake` is signalled, read by the worker
    /// after: the semaphore orders the two.
    var job: (() -> Void)?
  }

  /// Runs `chunk(i)` for `i` in `0..<count`: chunk 0 on the calling thread,
  /// the others on parked workers; returns when all are done. Returns false,
  /// having run nothing, when another section holds the pool.
  func run(_ count: Int, _ chunk: @escaping @Sendable (Int) -> Void) -> Bool {
    guard busy.try() else { return false }
    defer { busy.unlock() }
    let helpers = workers(count - 1)
    for i in 1..<count {
      helpers[i - 1].job = { chunk(i) }
      helpers[i - 1].wake.signal()
    }
    chunk(0)
    for _ in 1..<count { finished.wait() }
    for w in helpers { w.job = nil }
    return true
  }

  /// The first `n` workers, started on first use.
  private func workers(_ n: Int) -> ArraySlice<Worker> {
    grow.lock()
    defer { grow.unlock() }
    while workers.count < n {
      let w = Worker()
      let finished = self.finished
      let thread = Thread {
        while true {
          w.wake.wait()
          w.job?()
          finished.signal()
        }
      }
      thread.name = "dpotop-kernels-\(workers.count + 1)"
      thread.start()
      workers.append(w)
    }
    return workers[0..<n]
  }
}

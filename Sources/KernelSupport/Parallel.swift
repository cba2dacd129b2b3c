import Dispatch

/// Splits `0..<count` into `threads` contiguous chunks and runs `body` on each,
/// concurrently when `threads > 1`.
///
/// Chunk boundaries depend only on `count`, `threads` and `granule`, and every
/// kernel writes each output element from exactly one chunk in a fixed order,
/// so results are deterministic for a given thread count (and, for the kernels
/// here, identical across thread counts). `granule` keeps chunk starts aligned
/// (matmul row tiles).
public func parallelChunks(
  _ count: Int, threads: Int, granule: Int = 1, minPerThread: Int = 1,
  _ body: (Range<Int>) -> Void
) {
  let useful = max(1, min(threads, count / max(minPerThread, 1)))
  if useful <= 1 || count <= granule {
    body(0..<count)
    return
  }
  let units = (count + granule - 1) / granule
  let per = (units + useful - 1) / useful
  let profiling = StepProfile.enabled
  let start = profiling ? StepProfile.now() : 0
  withoutActuallyEscaping(body) { escapable in
    // The chunks write disjoint ranges of raw buffers, which the type
    // system cannot see; the kernels' tests run under TSan.
    nonisolated(unsafe) let work = escapable
    withUnsafeTemporaryAllocation(of: UInt64.self, capacity: useful) { busy in
      nonisolated(unsafe) let busy = busy
      let chunk: @Sendable (Int) -> Void = { i in
        let began = profiling ? StepProfile.now() : 0
        let lo = min(count, i * per * granule)
        let hi = min(count, (i + 1) * per * granule)
        if lo < hi { work(lo..<hi) }
        if profiling { busy[i] = StepProfile.now() - began }
      }
      // The kernels' parked workers (KernelThreads: why not Dispatch);
      // Dispatch only when another section holds them.
      if !KernelThreads.shared.run(useful, chunk) {
        DispatchQueue.concurrentPerform(iterations: useful, execute: chunk)
      }
      if profiling {
        // Thread-time inside the section not spent on a chunk, as wall time.
        let wall = StepProfile.now() - start
        let idle = Int64(wall) * Int64(useful) - busy.reduce(0) { $0 + Int64($1) }
        StepProfile.threadWait += UInt64(max(0, idle)) / UInt64(useful)
      }
    }
  }
}

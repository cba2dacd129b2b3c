import Foundation

/// Seconds on a clock that never jumps (CLOCK_MONOTONIC): for intervals,
/// deadlines and latencies, which a wall-clock change must not bend. The one
/// such clock of the run-directory readers, the watcher, the remote mirror
/// and the benchmarks.
public func monotonicSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

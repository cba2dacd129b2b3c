import Foundation

/// Timings of the kernels for `dpotop bench` (the kernels themselves are
/// internal: their pointer-level API is not for general use).
public enum KernelTiming {
  /// Seconds per `c (m, n) = a (m, k) @ b (k, n)` with `threads` threads:
  /// the median of `repeats` timed runs (after a warm-up), each long enough
  /// (≥ 20 ms) to swamp the clock's resolution. `transposedA` stores `a` as
  /// (k, m) and times `gemmTN`, the call the weight gradients make.
  public static func gemmSeconds(
    m: Int, k: Int, n: Int, transposedA: Bool = false, threads: Int, repeats: Int = 7,
    path: KernelPath = .active
  ) -> Double {
    gemmTimes(
      m: m, k: k, n: n, transposedA: transposedA, threads: threads, repeats: repeats, path: path
    ).wall
  }

  /// `gemmSeconds`, with the process's CPU seconds per call beside the wall
  /// seconds (each the median over the runs). With one thread the CPU time
  /// leaves out the time the process waited for a core, so on a loaded
  /// machine it is the steadier figure.
  public static func gemmTimes(
    m: Int, k: Int, n: Int, transposedA: Bool = false, threads: Int, repeats: Int = 7,
    path: KernelPath = .active
  ) -> (wall: Double, cpu: Double) {
    let kernels = path.suite
    var rng = ModelRNG(seed: 1)
    let a = (0..<(m * k)).map { _ in Float(rng.normal()) }
    let b = (0..<(k * n)).map { _ in Float(rng.normal()) }
    var c = [Float](repeating: 0, count: m * n)
    func once() {
      a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
          c.withUnsafeMutableBufferPointer { pc in
            if transposedA {
              kernels.gemmTN(
                pc.baseAddress!, pa.baseAddress!, pb.baseAddress!, m: m, k: k, n: n,
                accumulate: false, threads: threads)
            } else {
              kernels.gemm(
                pc.baseAddress!, pa.baseAddress!, pb.baseAddress!, m: m, k: k, n: n,
                accumulate: false, threads: threads)
            }
          }
        }
      }
    }
    once()
    // Calls per timed run, so a run lasts at least ~20 ms.
    let probe = Date()
    once()
    let single = max(Date().timeIntervalSince(probe), 1e-7)
    let calls = max(1, Int(0.02 / single))
    var walls: [Double] = []
    var cpus: [Double] = []
    for _ in 0..<repeats {
      let start = Date()
      let cpu0 = processCPUSeconds()
      for _ in 0..<calls { once() }
      cpus.append((processCPUSeconds() - cpu0) / Double(calls))
      walls.append(Date().timeIntervalSince(start) / Double(calls))
    }
    return (walls.sorted()[walls.count / 2], cpus.sorted()[cpus.count / 2])
  }

  /// CPU seconds used by this process so far (all threads).
  static func processCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
  }
}

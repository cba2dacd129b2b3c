import Glibc

/// Process-wide allocator settings, applied before anything is read.
enum MemoryTuning {
  /// Allocations of this size and larger are mapped pages of their own.
  static let mmapThreshold: Int32 = 128 << 10

  /// Fixes glibc's mmap threshold at 128 KiB.
  ///
  /// dpotop's memory is a few hundred large arrays (one per metric per run,
  /// megabytes each) plus short-lived arrays made while a file is read, a
  /// slice at a time on the watcher thread (a few hundred KB each). glibc
  /// raises its threshold to the size of each mapped block that is freed, so
  /// soon every array comes from a heap, and freed heap memory below a live
  /// block is never given back. Measured on six 1M-step runs of 12 metrics
  /// (the dashboard on `dpotop bench read`'s file): 467 MB resident with
  /// glibc's default, 393 MB with this (25 MB of it the program itself).
  /// Setting the threshold explicitly turns the adjustment off (mallopt(3));
  /// `MALLOC_MMAP_THRESHOLD_` in the environment still wins.
  static func apply() {
    guard getenv("MALLOC_MMAP_THRESHOLD_") == nil else { return }
    // <malloc.h> is not part of Swift's Glibc module: look mallopt up by
    // name. Its parameter numbers are glibc ABI (M_MMAP_THRESHOLD is -3).
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
    let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
    _ = mallopt(mmapThresholdParameter, mmapThreshold)
  }

  /// mallopt's parameter number for the mmap threshold (glibc's M_MMAP_THRESHOLD).
  static let mmapThresholdParameter: Int32 = -3
}

import Glibc

/// Process-wide allocator settings, applied before anything is read.
enum MemoryTuning {
  /// Allocations of this size and larger are mapped pages of their own.
  static let mmapThreshold: Int32 = 1 << 20

  /// Fixes glibc's mmap threshold at 1 MiB.
  ///
  /// dpotop's memory is a few hundred large arrays (one per metric per run,
  /// megabytes each) plus short-lived copies of the same size made while a
  /// file is read. glibc raises its threshold to the size of each mapped
  /// block that is freed, so after the first freed array every later one
  /// comes from the heap, and freed heap memory below a live block is never
  /// given back: six 1M-step runs then sit at 506 MB resident instead of
  /// 354 MB (`dpotop bench render`). With a fixed threshold a freed array is
  /// unmapped at once. Setting it explicitly turns the adjustment off
  /// (mallopt(3)); `MALLOC_MMAP_THRESHOLD_` in the environment still wins.
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

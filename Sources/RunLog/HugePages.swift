import Foundation

/// Asks the kernel to back big arrays with transparent huge pages.
///
/// A bulk read fills a few hundred megabytes of freshly reserved arrays.
/// With 4 KiB pages that is one page fault per 4 KiB (53,000 faults for the
/// 1M-record benchmark file), and in a virtual machine each fault is costly;
/// 2 MiB pages make it one per 2 MiB. Only the 2 MiB-aligned whole pages
/// inside the buffer are advised; where THP is off (or not Linux) this does
/// nothing.
enum HugePages {
  /// Buffers smaller than this are left alone (no whole huge page inside).
  static let minimumBytes = 4 << 20

  /// Advises the untouched capacity of `array` (after its elements) for huge pages.
  static func advise<T>(_ array: inout [T]) {
    #if os(Linux)
      let bytes = array.capacity * MemoryLayout<T>.stride
      guard bytes >= minimumBytes else { return }
      let used = array.count * MemoryLayout<T>.stride
      array.withUnsafeMutableBufferPointer { buf in
        guard let base = buf.baseAddress else { return }
        let start = UInt(bitPattern: UnsafeMutableRawPointer(base)) + UInt(used)
        let end = UInt(bitPattern: UnsafeMutableRawPointer(base)) + UInt(bytes)
        let huge: UInt = 2 << 20
        let from = (start + huge - 1) & ~(huge - 1)
        let to = end & ~(huge - 1)
        guard to > from, let p = UnsafeMutableRawPointer(bitPattern: from) else { return }
        _ = madvise(p, Int(to - from), 14)  // MADV_HUGEPAGE
      }
    #endif
  }
}

/// What a streaming framer (TFRecord, W&B's LevelDB log) holds between
/// chunks: the bytes of a frame cut by a chunk's end, waiting for the rest.
/// Everything else is framed straight from the caller's bytes, so a large
/// file is not copied byte by byte into a buffer first.
///
/// The framer supplies its scan as a closure: given bytes, their count, the
/// file offset of the first and whether the input has ended, it frames what
/// it can and returns how many bytes it consumed.
struct ChunkCarry {
  /// Frames bytes at a pointer: (first byte, count, its file offset, at end) → bytes consumed.
  typealias Scan = (UnsafeRawPointer, Int, Int64, Bool) -> Int

  /// Bytes received but not yet consumed; `pending[head]` is at file offset `base + head`.
  private var pending: [UInt8] = []
  private var head = 0
  private var base: Int64 = 0

  /// File offset of the first byte not yet consumed.
  var consumedOffset: Int64 { base + Int64(head) }

  /// Frames `bytes` after what is held. A held (cut) frame is finished from
  /// at most `prefixLimit` bytes of this chunk (the longest frame the format
  /// can cut), then framing goes on in the caller's bytes.
  mutating func feed(_ bytes: UnsafeRawBufferPointer, prefixLimit: Int, scan: Scan) {
    if head > 0 && head == pending.count {
      base += Int64(head)
      head = 0
      pending.removeAll(keepingCapacity: true)
    }
    guard !pending.isEmpty else {
      scanDirect(bytes, scan)
      return
    }
    let k = min(bytes.count, prefixLimit)
    pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[..<k]))
    scanHeld(atEnd: false, scan)
    let left = pending.count - head
    guard k < bytes.count, left <= k else {
      if k < bytes.count {
        pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[k...]))
        scanHeld(atEnd: false, scan)
      }
      compact()
      return
    }
    // What is left unconsumed is the prefix's tail, still in `bytes`.
    base += Int64(head)
    head = 0
    pending.removeAll(keepingCapacity: true)
    scanDirect(UnsafeRawBufferPointer(rebasing: bytes[(k - left)...]), scan)
  }

  /// Declares the end of input: the held bytes are scanned once more with
  /// `atEnd` set (so a cut frame is reported as truncated).
  mutating func finish(_ scan: Scan) {
    scanHeld(atEnd: true, scan)
    compact()
  }

  /// Frames straight from the caller's bytes (nothing held) and keeps only
  /// the unfinished tail.
  private mutating func scanDirect(_ bytes: UnsafeRawBufferPointer, _ scan: Scan) {
    guard let raw = bytes.baseAddress else { return }
    let p = scan(raw, bytes.count, base, false)
    base += Int64(p)
    pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[p...]))
  }

  private mutating func scanHeld(atEnd: Bool, _ scan: Scan) {
    let start = head
    let offset = base + Int64(start)
    head =
      start
      + pending.withUnsafeBytes { buf in
        guard let raw = buf.baseAddress else { return 0 }
        return scan(raw + start, buf.count - start, offset, atEnd)
      }
  }

  private mutating func compact() {
    if head > 0 {
      base += Int64(head)
      pending.removeSubrange(0..<head)
      head = 0
    }
  }
}

/// Splits a byte stream into TFRecord frames, incrementally.
///
/// A frame is `u64 length | u32 masked CRC-32C of the length | payload |
/// u32 masked CRC-32C of the payload`, little-endian. Bytes may arrive in any
/// chunking (a file still being written): a frame is only handed out once it
/// is complete and both checksums match, so the same bytes split differently
/// yield the same frames. A bad frame starts a *bad region*, reported once
/// with its byte offset; the framer then scans forward byte by byte for the
/// next offset where a length and its checksum agree and the payload checks
/// out, and resumes there.
struct TFRecordFramer {
  /// Frames declaring a payload longer than this are treated as corrupt, so a
  /// garbage length cannot make the reader buffer gigabytes.
  var maxPayload = 64 << 20

  /// Bytes received but not yet consumed; `pending[head]` is at file offset `base + head`.
  private var pending: [UInt8] = []
  private var head = 0
  private var base: Int64 = 0
  /// True while scanning through a bad region.
  private(set) var resyncing = false

  /// A problem found in the stream.
  struct Problem: Equatable {
    var offset: Int64
    var reason: String
  }

  /// File offset of the first byte not yet consumed.
  var consumedOffset: Int64 { base + Int64(head) }
  /// Bytes held back waiting for the rest of a frame.
  var pendingCount: Int { pending.count - head }

  /// Appends `bytes` and hands out every complete frame (payload, offset of
  /// its header) and every problem, in stream order.
  mutating func feed(
    _ bytes: UnsafeRawBufferPointer, frame: (UnsafeRawBufferPointer, Int64) -> Void,
    problem: (Problem) -> Void
  ) {
    if head > 0 && head == pending.count {
      base += Int64(head)
      head = 0
      pending.removeAll(keepingCapacity: true)
    }
    pending.append(contentsOf: bytes)
    scan(atEnd: false, frame: frame, problem: problem)
    compact()
  }

  /// Declares the end of input: what is left is a truncated frame (reported)
  /// and any complete frames after it inside the leftover are still found.
  mutating func finish(
    frame: (UnsafeRawBufferPointer, Int64) -> Void, problem: (Problem) -> Void
  ) {
    scan(atEnd: true, frame: frame, problem: problem)
    compact()
  }

  /// Forgets everything (a file replaced or truncated).
  mutating func reset() {
    pending.removeAll()
    head = 0
    base = 0
    resyncing = false
  }

  private mutating func compact() {
    if head > 0 {
      base += Int64(head)
      pending.removeSubrange(0..<head)
      head = 0
    }
  }

  private mutating func scan(
    atEnd: Bool, frame: (UnsafeRawBufferPointer, Int64) -> Void, problem: (Problem) -> Void
  ) {
    let maxPayload = self.maxPayload
    var p = head
    let count = pending.count
    var resync = resyncing
    let startBase = base
    pending.withUnsafeBytes { buf in
      guard let raw = buf.baseAddress else { return }
      func bad(_ at: Int, _ reason: String) {
        if !resync {
          problem(Problem(offset: startBase + Int64(at), reason: reason))
          resync = true
        }
      }
      while p < count {
        let avail = count - p
        if avail < 12 {
          if atEnd {
            bad(p, "truncated record header (\(avail) bytes at end of file)")
            p = count
          }
          break
        }
        let len = raw.loadUnaligned(fromByteOffset: p, as: UInt64.self).littleEndian
        let lenCRC = raw.loadUnaligned(fromByteOffset: p + 8, as: UInt32.self).littleEndian
        let header = UnsafeRawBufferPointer(start: raw + p, count: 8)
        guard CRC32C.masked(CRC32C.checksum(header)) == lenCRC else {
          bad(p, "bad length checksum")
          p += 1
          continue
        }
        guard len <= UInt64(maxPayload) else {
          bad(p, "record length \(len) exceeds \(maxPayload) bytes")
          p += 1
          continue
        }
        let n = Int(len)
        guard avail >= 16 + n else {
          if atEnd {
            bad(p, "truncated record (\(n) byte payload, \(avail - 12) bytes present)")
            p += 1
            continue
          }
          break
        }
        let payload = UnsafeRawBufferPointer(start: raw + p + 12, count: n)
        let dataCRC = raw.loadUnaligned(fromByteOffset: p + 12 + n, as: UInt32.self).littleEndian
        guard CRC32C.masked(CRC32C.checksum(payload)) == dataCRC else {
          bad(p, "bad payload checksum")
          p += 1
          continue
        }
        resync = false
        frame(payload, startBase + Int64(p))
        p += 16 + n
      }
    }
    head = p
    resyncing = resync
  }
}

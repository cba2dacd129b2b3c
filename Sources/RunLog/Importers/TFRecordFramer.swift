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
    if !pending.isEmpty {
      // A frame was cut by the previous chunk: finish it from a prefix of
      // this one (frames are small), then go on in the caller's bytes.
      let k = min(bytes.count, 64 << 10)
      pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[..<k]))
      scan(atEnd: false, frame: frame, problem: problem)
      let left = pending.count - head
      guard k < bytes.count, left <= k else {
        if k < bytes.count {
          pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[k...]))
          scan(atEnd: false, frame: frame, problem: problem)
        }
        compact()
        return
      }
      // What is left unconsumed is the prefix's tail, still in `bytes`.
      base += Int64(head)
      head = 0
      pending.removeAll(keepingCapacity: true)
      scanDirect(UnsafeRawBufferPointer(rebasing: bytes[(k - left)...]), frame, problem)
      return
    }
    scanDirect(bytes, frame, problem)
  }

  /// Frames straight from the caller's bytes (nothing held back) and keeps
  /// only the unfinished tail, rather than copying every byte of the file.
  private mutating func scanDirect(
    _ bytes: UnsafeRawBufferPointer, _ frame: (UnsafeRawBufferPointer, Int64) -> Void,
    _ problem: (Problem) -> Void
  ) {
    guard let raw = bytes.baseAddress else { return }
    let p = Self.scan(
      raw, count: bytes.count, from: 0, base: base, maxPayload: maxPayload,
      resync: &resyncing, atEnd: false, frame: frame, problem: problem)
    base += Int64(p)
    pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[p...]))
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
    let start = head
    let count = pending.count
    let (base, maxPayload) = (self.base, self.maxPayload)
    var resync = resyncing
    let p = pending.withUnsafeBytes { buf in
      guard let raw = buf.baseAddress else { return start }
      return Self.scan(
        raw, count: count, from: start, base: base, maxPayload: maxPayload, resync: &resync,
        atEnd: atEnd, frame: frame, problem: problem)
    }
    head = p
    resyncing = resync
  }

  /// Frames bytes `from..<count` of `raw` (byte 0 at file offset
  /// `startBase`); returns the index of the first unconsumed byte.
  private static func scan(
    _ raw: UnsafeRawPointer, count: Int, from start: Int, base startBase: Int64,
    maxPayload: Int, resync: inout Bool, atEnd: Bool,
    frame: (UnsafeRawBufferPointer, Int64) -> Void, problem: (Problem) -> Void
  ) -> Int {
    var p = start
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
      guard CRC32C.masked(CRC32C.engine.update(0, raw + p, 8)) == lenCRC else {
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
    return p
  }
}

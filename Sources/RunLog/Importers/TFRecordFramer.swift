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

  /// The bytes of a frame cut by a chunk's end.
  private var carry = ChunkCarry()
  /// True while scanning through a bad region.
  private(set) var resyncing = false

  /// A problem found in the stream.
  struct Problem: Equatable {
    var offset: Int64
    var reason: String
  }

  /// File offset of the first byte not yet consumed.
  var consumedOffset: Int64 { carry.consumedOffset }

  /// Appends `bytes` and hands out every complete frame (payload, offset of
  /// its header) and every problem, in stream order.
  mutating func feed(
    _ bytes: UnsafeRawBufferPointer, frame: (UnsafeRawBufferPointer, Int64) -> Void,
    problem: (Problem) -> Void
  ) {
    // Frames are small: a cut one is finished from the chunk's first 64 KiB.
    var resync = resyncing
    let maxPayload = self.maxPayload
    carry.feed(bytes, prefixLimit: 64 << 10) { raw, count, offset, atEnd in
      Self.scan(
        raw, count: count, base: offset, maxPayload: maxPayload, resync: &resync, atEnd: atEnd,
        frame: frame, problem: problem)
    }
    resyncing = resync
  }

  /// Declares the end of input: what is left is a truncated frame (reported)
  /// and any complete frames after it inside the leftover are still found.
  mutating func finish(
    frame: (UnsafeRawBufferPointer, Int64) -> Void, problem: (Problem) -> Void
  ) {
    var resync = resyncing
    let maxPayload = self.maxPayload
    carry.finish { raw, count, offset, atEnd in
      Self.scan(
        raw, count: count, base: offset, maxPayload: maxPayload, resync: &resync, atEnd: atEnd,
        frame: frame, problem: problem)
    }
    resyncing = resync
  }

  /// Forgets everything (a file replaced or truncated).
  mutating func reset() {
    carry = ChunkCarry()
    resyncing = false
  }

  /// Frames the `count` bytes at `raw` (byte 0 at file offset `startBase`);
  /// returns how many were consumed.
  private static func scan(
    _ raw: UnsafeRawPointer, count: Int, base startBase: Int64,
    maxPayload: Int, resync: inout Bool, atEnd: Bool,
    frame: (UnsafeRawBufferPointer, Int64) -> Void, problem: (Problem) -> Void
  ) -> Int {
    var p = 0
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

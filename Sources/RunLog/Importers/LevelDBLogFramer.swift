import Foundation

/// Splits the bytes of a W&B `.wandb` file into records, incrementally.
///
/// The format (LevelDB's log format behind a 7-byte W&B header, checked on
/// files written by wandb 0.31): the file is cut into 32 KiB blocks counted
/// from byte 0, the header (`:W&B`, `u16 0xBEE1`, `u8` version 0) opening
/// the first. Each block holds fragments `u32 CRC-32 | u16 length | u8 type |
/// payload`, little-endian; the CRC is IEEE's, unmasked, over the type byte
/// then the payload. A record fits in one FULL fragment or is split into
/// FIRST, MIDDLE..., LAST across blocks; a fragment never crosses a block
/// end, and fewer than 7 bytes left in a block are zero padding.
///
/// Bytes may arrive in any chunking (a file still being written): a record is
/// handed out only once its last fragment is complete and every checksum
/// matched, so the same bytes split differently yield the same records. A bad
/// fragment starts a bad region, reported once with its byte offset; the rest
/// of its block is skipped (the next block always starts with a fragment
/// header, which is how the format resynchronises), and fragments that
/// continue a record whose start was lost are dropped with it.
struct LevelDBLogFramer {
  static let blockSize = 32768
  static let fragmentHeader = 7
  /// `:W&B`, then 0xBEE1 little-endian, then version 0.
  static let fileHeader: [UInt8] = [0x3A, 0x57, 0x26, 0x42, 0xE1, 0xBE, 0x00]

  /// Records longer than this (assembled from fragments) are treated as
  /// corrupt, so a run of garbage fragments cannot make the reader buffer gigabytes.
  var maxRecord = 64 << 20

  /// The bytes of a fragment cut by a chunk's end.
  private var carry = ChunkCarry()
  /// The record being assembled from FIRST / MIDDLE fragments, and where it started.
  private var fragments: [UInt8] = []
  private var fragmentsStart: Int64?
  /// True while in a bad region (problems are reported once per region).
  private(set) var resyncing = false
  /// True while skipping the rest of a block after a bad fragment.
  private var skippingBlock = false

  /// A problem found in the stream.
  struct Problem: Equatable {
    var offset: Int64
    var reason: String
  }

  /// File offset of the first byte not yet consumed.
  var consumedOffset: Int64 { carry.consumedOffset }

  /// Appends `bytes` and hands out every complete record (payload, offset of
  /// its first fragment's header) and every problem, in stream order.
  mutating func feed(
    _ bytes: UnsafeRawBufferPointer, record: (UnsafeRawBufferPointer, Int64) -> Void,
    problem: (Problem) -> Void
  ) {
    // Moved out while it runs: the scan it calls back mutates `self`.
    var held = ChunkCarry()
    swap(&held, &carry)
    defer { swap(&held, &carry) }
    // A fragment never exceeds a block: a cut one is finished from that much of this chunk.
    held.feed(bytes, prefixLimit: Self.blockSize + Self.fragmentHeader) {
      raw, count, offset, atEnd in
      scan(raw, count: count, offset: offset, atEnd: atEnd, record: record, problem: problem)
    }
  }

  /// Declares the end of input: a fragment cut short, or a record whose last
  /// fragment never came, is reported as truncated.
  mutating func finish(
    record: (UnsafeRawBufferPointer, Int64) -> Void, problem: (Problem) -> Void
  ) {
    var held = ChunkCarry()
    swap(&held, &carry)
    defer { swap(&held, &carry) }
    held.finish { raw, count, offset, atEnd in
      scan(raw, count: count, offset: offset, atEnd: atEnd, record: record, problem: problem)
    }
  }

  /// Forgets everything (a file replaced or truncated).
  mutating func reset() {
    self = LevelDBLogFramer(maxRecord: maxRecord)
  }

  /// Frames `count` bytes at `raw`, the first at file offset `startBase`;
  /// returns how many were consumed.
  private mutating func scan(
    _ raw: UnsafeRawPointer, count: Int, offset startBase: Int64, atEnd: Bool,
    record: (UnsafeRawBufferPointer, Int64) -> Void, problem: (Problem) -> Void
  ) -> Int {
    var p = 0
    // Local copies, kept in registers through the loop.
    var resync = resyncing
    var skipping = skippingBlock
    var frags = fragments
    var fragsStart = fragmentsStart
    fragments = []
    let maxRecord = self.maxRecord
    let bs = Self.blockSize
    let hs = Self.fragmentHeader

    do {
      func bad(_ at: Int64, _ reason: String) {
        if !resync {
          problem(Problem(offset: at, reason: reason))
          resync = true
        }
        frags.removeAll(keepingCapacity: true)
        fragsStart = nil
      }
      while p < count {
        let pos = startBase + Int64(p)
        let avail = count - p
        if pos < Int64(hs) {
          // The file header (only ever at offset 0: a reset starts over there).
          guard avail >= hs else {
            if atEnd {
              bad(pos, "truncated W&B file header (\(avail) bytes)")
              p = count
            }
            break
          }
          if !Self.fileHeader.withUnsafeBytes({ memcmp($0.baseAddress!, raw + p, hs) == 0 }) {
            bad(pos, "not a W&B log: the file does not start with :W&B, 0xBEE1, version 0")
          }
          p += hs
          continue
        }
        let blockLeft = bs - Int(pos % Int64(bs))
        if skipping || blockLeft < hs {
          // Zero padding at a block's end, or the rest of a block after a bad fragment.
          let n = min(blockLeft, avail)
          p += n
          if n == blockLeft { skipping = false }
          continue
        }
        guard avail >= hs else {
          if atEnd {
            bad(pos, "truncated fragment header (\(avail) bytes at end of file)")
            p = count
          }
          break
        }
        let crc = raw.loadUnaligned(fromByteOffset: p, as: UInt32.self).littleEndian
        let len =
          Int(raw.load(fromByteOffset: p + 4, as: UInt8.self))
          | Int(raw.load(fromByteOffset: p + 5, as: UInt8.self)) << 8
        let type = raw.load(fromByteOffset: p + 6, as: UInt8.self)
        guard hs + len <= blockLeft else {
          bad(pos, "fragment length \(len) crosses the block end")
          skipping = true
          continue
        }
        guard avail >= hs + len else {
          if atEnd {
            bad(pos, "truncated fragment (\(len) byte payload, \(avail - hs) bytes present)")
            p = count
          }
          break
        }
        let payload = UnsafeRawBufferPointer(start: raw + p + hs, count: len)
        let typeCRC = CRC32.update(0, UnsafeRawBufferPointer(start: raw + p + 6, count: 1))
        guard CRC32.update(typeCRC, payload) == crc else {
          bad(pos, "bad fragment checksum")
          skipping = true
          continue
        }
        p += hs + len
        switch type {
        case 1:  // FULL
          if let s = fragsStart { bad(s, "record never got its last fragment") }
          resync = false
          record(payload, pos)
        case 2:  // FIRST
          if let s = fragsStart { bad(s, "record never got its last fragment") }
          resync = false
          frags.removeAll(keepingCapacity: true)
          frags.append(contentsOf: payload)
          fragsStart = pos
        case 3, 4:  // MIDDLE, LAST
          guard let s = fragsStart else {
            bad(pos, "fragment continues a record whose start is missing")
            continue
          }
          guard frags.count + len <= maxRecord else {
            bad(s, "record longer than \(maxRecord) bytes")
            continue
          }
          frags.append(contentsOf: payload)
          if type == 4 {
            frags.withUnsafeBytes { record($0, s) }
            frags.removeAll(keepingCapacity: true)
            fragsStart = nil
          }
        default:
          bad(pos, "unknown fragment type \(type)")
          skipping = true
        }
      }
      if atEnd, let s = fragsStart {
        bad(s, "truncated record: its last fragment is missing at end of file")
      }
    }
    resyncing = resync
    skippingBlock = skipping
    fragments = frags
    fragmentsStart = fragsStart
    return p
  }
}

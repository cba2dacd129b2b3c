/// Writes W&B `.wandb` bytes: the file header, LevelDB-log framing and the few
/// `Record` types dpotop reads, in the layout wandb 0.31 writes them (checked
/// by reading the package's own files and this encoder's with the same
/// reader, and this encoder's with the package's `wandb_internal_pb2`).
///
/// dpotop never writes W&B logs for users: this serves `dpotop bench wandb`
/// (a million-row file made in a second rather than by the package in
/// minutes), the fuzz harness and tests that need exact corrupt layouts.
public struct WandbLogEncoder {
  /// The file's bytes not yet taken (`takeWholeBlocks`): all of it unless taken.
  public private(set) var bytes: [UInt8] = LevelDBLogFramer.fileHeader
  /// Bytes handed out by `takeWholeBlocks` (block positions count from the file's start).
  private var taken = 0
  private var num = 0

  /// W&B's block size.
  public static let blockSize = LevelDBLogFramer.blockSize

  /// Removes and returns the whole 32 KiB blocks written so far, so a large
  /// file can be written in pieces.
  public mutating func takeWholeBlocks() -> [UInt8] {
    let bs = Self.blockSize
    let n = (taken + bytes.count) / bs * bs - taken
    guard n > 0 else { return [] }
    let out = Array(bytes[0..<n])
    bytes.removeSubrange(0..<n)
    taken += n
    return out
  }

  /// An empty file (header only).
  public init() {}

  /// Appends one record, split into FIRST / MIDDLE / LAST fragments where it
  /// crosses block ends, padding a block's last < 7 bytes with zeros.
  public mutating func append(record payload: [UInt8]) {
    let bs = LevelDBLogFramer.blockSize
    let hs = LevelDBLogFramer.fragmentHeader
    var at = 0
    var first = true
    while true {
      let left = bs - (taken + bytes.count) % bs
      if left < hs {
        bytes.append(contentsOf: repeatElement(0, count: left))
        continue
      }
      let n = min(payload.count - at, left - hs)
      let last = at + n == payload.count
      let type: UInt8 = first ? (last ? 1 : 2) : (last ? 4 : 3)
      let crc = payload.withUnsafeBytes { p in
        CRC32.update(
          CRC32.checksum([type]), UnsafeRawBufferPointer(rebasing: p[at..<(at + n)]))
      }
      withUnsafeBytes(of: crc.littleEndian) { bytes.append(contentsOf: $0) }
      bytes.append(UInt8(n & 0xFF))
      bytes.append(UInt8(n >> 8))
      bytes.append(type)
      bytes.append(contentsOf: payload[at..<(at + n)])
      at += n
      first = false
      if at == payload.count { break }
    }
  }

  /// Appends a `RunRecord` (id, display name, project, config items as raw JSON).
  public mutating func appendRun(
    id: String, name: String?, project: String = "dpotop", config: [(String, String)] = []
  ) {
    var run = Proto()
    run.bytes(1, id)
    run.bytes(3, project)
    if !config.isEmpty { run.bytes(4, Self.configItems(config)) }
    if let name { run.bytes(8, name) }
    appendRecord(field: 17, run.out)
  }

  /// Appends a `ConfigRecord` of updates (key → value_json).
  public mutating func appendConfig(_ items: [(String, String)]) {
    appendRecord(field: 5, Self.configItems(items))
  }

  /// Appends a `HistoryRecord`: items (key → value_json, W&B's `nested_key`
  /// form with one part) and `HistoryStep.num`.
  public mutating func appendHistory(step: Int, items: [(String, String)]) {
    var h = Proto()
    for (k, v) in items {
      var item = Proto()
      item.bytes(2, k)
      item.bytes(16, v)
      h.bytes(1, item.out)
    }
    var s = Proto()
    if step != 0 { s.varint(1, UInt64(step)) }
    h.bytes(2, s.out)
    appendRecord(field: 2, h.out)
  }

  /// Appends a `SummaryRecord` of updates (key → value_json).
  public mutating func appendSummary(_ items: [(String, String)]) {
    var r = Proto()
    for (k, v) in items {
      var item = Proto()
      item.bytes(2, k)
      item.bytes(16, v)
      r.bytes(1, item.out)
    }
    appendRecord(field: 3, r.out)
  }

  /// Appends a `RunExitRecord`.
  public mutating func appendExit(code: Int) {
    var e = Proto()
    if code != 0 { e.varint(1, UInt64(bitPattern: Int64(code))) }
    appendRecord(field: 18, e.out)
  }

  /// Appends a record of a type dpotop skips (`stats`, field 7) with `size` payload bytes.
  public mutating func appendOther(size: Int) {
    appendRecord(field: 7, Proto.opaque(size))
  }

  private mutating func appendRecord(field: UInt64, _ body: [UInt8]) {
    num += 1
    var r = Proto()
    r.varint(1, UInt64(num))
    r.bytes(field, body)
    append(record: r.out)
  }

  private static func configItems(_ items: [(String, String)]) -> [UInt8] {
    var c = Proto()
    for (k, v) in items {
      var item = Proto()
      item.bytes(1, k)
      item.bytes(16, v)
      c.bytes(1, item.out)
    }
    return c.out
  }
}

/// Protobuf wire-format output, enough for `WandbLogEncoder`.
private struct Proto {
  var out: [UInt8] = []

  mutating func rawVarint(_ v: UInt64) {
    var v = v
    while v >= 0x80 {
      out.append(UInt8(v & 0x7F) | 0x80)
      v >>= 7
    }
    out.append(UInt8(v))
  }

  mutating func varint(_ field: UInt64, _ v: UInt64) {
    rawVarint(field << 3)
    rawVarint(v)
  }

  mutating func bytes(_ field: UInt64, _ b: [UInt8]) {
    rawVarint(field << 3 | 2)
    rawVarint(UInt64(b.count))
    out += b
  }

  mutating func bytes(_ field: UInt64, _ s: String) { bytes(field, Array(s.utf8)) }

  /// A message of `size` bytes holding one skippable bytes field.
  static func opaque(_ size: Int) -> [UInt8] {
    var p = Proto()
    p.bytes(15, [UInt8](repeating: 0x2A, count: max(0, size - 4)))
    return p.out
  }
}

import Foundation

/// A line of a metrics file that could not be read, and why.
public struct BadLine: Sendable, Equatable, CustomStringConvertible {
  /// The file it came from.
  public var path: String
  /// 1-based line number.
  public var line: Int
  /// What was wrong.
  public var reason: String

  /// `path:line: reason`.
  public var description: String { "\(path):\(line): \(reason)" }
}

/// Reads `metrics.jsonl` incrementally while another process appends to it.
///
/// Each `poll` reads from the byte offset where the last one stopped and
/// hands back only complete lines; a half-written last line is carried until
/// its newline arrives. A file that shrank, was replaced (new inode) or was
/// rewritten under the reader (the bytes before the offset changed) is read
/// again from the start and the poll says so (`reset`), so the caller can
/// clear what it built. Bad lines are counted and described, never fatal, and
/// nothing already returned is taken back. Blank lines are skipped silently.
///
/// Not thread-safe: one reader belongs to one thread at a time.
public final class TailReader {
  /// The file being tailed.
  public let path: String
  /// Bytes consumed so far (complete lines plus the carried partial line).
  public internal(set) var offset: Int64 = 0
  /// Lines seen so far (good + bad + blank), excluding a carried partial line.
  public internal(set) var lineCount = 0
  /// Blank lines (only spaces, tabs, carriage returns) seen so far; skipped silently.
  public internal(set) var blankCount = 0
  /// Bad lines seen so far.
  public internal(set) var badCount = 0
  /// The most recent bad lines (at most `keptBadLines`).
  public internal(set) var recentBad: [BadLine] = []
  /// How many bad lines `recentBad` keeps.
  public var keptBadLines = 50
  /// Lines longer than this are counted bad without being buffered whole.
  public var maxLineBytes = 16 << 20
  /// New bytes from which a poll into a store reads two halves of the file in
  /// parallel (when a second core is free; see `parallelism`).
  public var parallelThreshold = 32 << 20
  /// When to read in parallel: `.auto` when a core is likely idle, `.always`
  /// (benchmarks, tests), `.never`.
  public var parallelism = Parallelism.auto
  /// At most about this many bytes are read by one `poll` (the read stops at
  /// the first line end past it, and `Poll.more` says there is more). A
  /// dashboard opening six 500 MB files reads them a slice at a time, so
  /// what it holds at once is its plotted data plus a slice, not six whole
  /// files' worth of 64-bit records. Unlimited by default (`summary`, loads).
  public var maxBytesPerPoll = Int64.max

  /// Whether a big read may use a second thread.
  public enum Parallelism: Sendable {
    case auto, always, never
  }

  var identity: (dev: UInt64, ino: UInt64)?
  /// The last bytes before `offset`, re-checked each poll to notice a rewrite.
  var fingerprint: [UInt8] = []
  var carry: [UInt8] = []
  var skippingLongLine = false
  /// True until the file's first line was handled (a byte-order mark is only looked for there).
  var atFileStart = true
  /// Set when the first line shows the file is UTF-16: every line is bad, reported once.
  var isUTF16 = false
  /// Set once the dropping of keys beyond `MetricLineParser.maxKeys` was reported.
  var reportedDroppedKeys = false
  var parser: MetricLineParser
  /// The parsed-line buffer lines are parsed into (kept for its capacity).
  var parsed = MetricLineParser.ParsedLine()
  /// Bytes read per `pread`. Under 128 KiB, the size from which glibc maps
  /// each allocation to fresh pages (dpotop fixes it there: MemoryTuning):
  /// a 4 MiB buffer per poll cost a thousand small files a mapping, its page
  /// faults and zeroing each (about a tenth of `summary`'s time on a
  /// 1000-run folder), where a heap buffer is reused. It is also when a bulk
  /// read sizes its arrays (`readSequentially`), so a run of a few MB
  /// reserves them once instead of growing them by doubling.
  let chunkSize = 120 << 10

  /// What one poll found.
  public struct Poll: Sendable, Equatable {
    /// Complete good records delivered.
    public var records = 0
    /// Bad lines found in this poll.
    public var badLines = 0
    /// True when the file was truncated or replaced and reading started over.
    public var reset = false
    /// True when the poll stopped at `maxBytesPerPoll` with more already in the file.
    public var more = false
  }

  /// A reader of `path`, starting at its beginning, naming keys as `names`
  /// says (dpotop's `metrics.jsonl`, or another trainer's JSON-lines log).
  /// No I/O until `poll`.
  public init(path: String, names: MetricLineParser.KeyNames = .native) {
    self.path = path
    parser = MetricLineParser(names: names)
  }

  /// How this reader names keys.
  public var names: MetricLineParser.KeyNames { parser.names }

  /// Reads what was appended since the last poll into `store`.
  ///
  /// On `reset`, `store` is cleared first. Throws only when the file cannot be
  /// opened at all (missing, a directory, unreadable); what was read stays in `store`.
  @discardableResult
  public func poll(into store: inout SeriesStore) throws(RunLogError) -> Poll {
    var result = Poll()
    let file = try openChecked(&result) { store = SeriesStore() }
    defer { close(file.fd) }
    guard file.size > offset else { return result }
    var end = file.size
    if end - offset > maxBytesPerPoll,
      let cut = lineStart(after: offset + maxBytesPerPoll - 1, in: file.fd, before: end)
    {
      end = cut
      result.more = true
    }
    if carry.isEmpty, !skippingLongLine, end - offset >= Int64(parallelThreshold),
      parallelism == .always || (parallelism == .auto && Self.spareCoreLikely())
    {
      try readInParallel(file.fd, to: end, into: &store, &result)
    } else {
      try readSequentially(file.fd, to: end, into: &store, &result)
    }
    try rememberFingerprint(file.fd)
    return result
  }

  /// Reads what was appended since the last poll as records (tests, tools, fuzzing).
  public func pollRecords() throws(RunLogError) -> (records: [MetricRecord], poll: Poll) {
    var result = Poll()
    var records: [MetricRecord] = []
    let file = try openChecked(&result) { records.removeAll() }
    defer { close(file.fd) }
    if file.size > offset {
      try read(file.fd, to: file.size, &result) { line in
        self.records(line) { records.append($0) }
      }
    }
    try rememberFingerprint(file.fd)
    return (records, result)
  }

  /// Feeds bytes as if they had been appended to the file (no I/O).
  ///
  /// The same bytes fed in any chunking yield the same records: this is the
  /// core the file-reading paths share, and what the fuzz harness exercises.
  public func feed(_ bytes: UnsafeRawBufferPointer, _ sink: (MetricRecord) -> Void) -> Poll {
    var result = Poll()
    consume(bytes, &result) { records($0, sink) }
    return result
  }

  /// Delivers the carried partial line, if any, as a final line (end of input).
  public func finish(_ sink: (MetricRecord) -> Void) -> Poll {
    var result = Poll()
    if skippingLongLine {
      skippingLongLine = false
      lineCount += 1
      noteBad("line longer than \(maxLineBytes) bytes", &result)
    } else if !carry.isEmpty {
      let line = carry
      carry.removeAll()
      var scratch = MetricLineParser.ParsedLine()
      line.withUnsafeBufferPointer { handleLine($0, &scratch, &result) { records($0, sink) } }
    }
    return result
  }

  // MARK: - Internals

  /// Reads `[offset, end)` into `store`; a big first read sizes the arrays once
  /// (for records up to `reserveEnd`, default `end`).
  func readSequentially(
    _ fd: Int32, to end: Int64, into store: inout SeriesStore, _ result: inout Poll,
    reserveTo reserveEnd: Int64? = nil
  ) throws(RunLogError) {
    var sink = StoreSink()
    let start = offset
    let reserveEnd = reserveEnd ?? end
    let bulk = store.recordCount == 0 && reserveEnd - start > Int64(chunkSize)
    try read(fd, to: end, &result) { line in
      // Names are looked up only for a key the sink has not seen yet.
      sink.add(line, &store) { self.parser.metricNames[$0] }
    } afterFirstChunk: { consumed in
      guard bulk else { return }
      let rest = Double(reserveEnd - (start + consumed)) / Double(max(consumed, 1))
      store.reserve(records: Int(rest * Double(sink.records)), seen: sink.records)
    }
  }

  /// The records of a parsed line (one, or for imported names up to two).
  func records(_ line: MetricLineParser.ParsedLine, _ sink: (MetricRecord) -> Void) {
    let names = parser.metricNames
    line.forEachRecord { split, includes in
      var values: [(String, Double)] = []
      for (i, f) in line.fields.enumerated() where includes(i) {
        values.append((names[f.key], f.value))
      }
      sink(MetricRecord(step: line.step, time: line.time, split: split, values: values))
    }
  }

  /// Opens the file, checks it is a regular file, and starts over (calling
  /// `onReset`) when it was replaced, shrank or was rewritten since the last poll.
  func openChecked(_ result: inout Poll, onReset: () -> Void) throws(RunLogError) -> (
    fd: Int32, size: Int64
  ) {
    let file = try OpenedFile.open(path)
    let fd = file.fd
    guard file.isRegular else {
      file.close()
      let what = file.isDirectory ? "is a directory" : "not a regular file"
      throw RunLogError(.notARun(path: path, reason: "\(what), expected a metrics file"))
    }
    let id = file.identity
    let size = file.size
    if let known = identity,
      known != id || size < offset || !fingerprintMatches(fd)
    {
      restart()
      result.reset = true
      onReset()
    }
    identity = id
    return (fd, size)
  }

  private func fingerprintMatches(_ fd: Int32) -> Bool {
    guard !fingerprint.isEmpty else { return true }
    var now = [UInt8](repeating: 0, count: fingerprint.count)
    let at = off_t(offset) - off_t(fingerprint.count)
    let n = now.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, at) }
    return n == fingerprint.count && now == fingerprint
  }

  private func rememberFingerprint(_ fd: Int32) throws(RunLogError) {
    let n = Int(min(offset, 32))
    fingerprint = [UInt8](repeating: 0, count: n)
    guard n > 0 else { return }
    let got = fingerprint.withUnsafeMutableBytes {
      pread(fd, $0.baseAddress, n, off_t(offset) - off_t(n))
    }
    if got != n { fingerprint.removeAll() }
  }

  /// Reads `[offset, end)` of `fd` in chunks, handing each complete line to `sink`.
  func read(
    _ fd: Int32, to end: Int64, _ result: inout Poll,
    _ sink: (MetricLineParser.ParsedLine) -> Void,
    afterFirstChunk: (Int64) -> Void = { _ in }
  ) throws(RunLogError) {
    let start = offset
    var first = true
    try OpenedFile.readChunks(fd, path: path, from: offset, to: end, chunkSize: chunkSize) {
      bytes in
      offset += Int64(bytes.count)
      consume(bytes, &result, sink)
      if first {
        first = false
        afterFirstChunk(offset - start)
      }
    }
  }

  func restart() {
    offset = 0
    lineCount = 0
    blankCount = 0
    badCount = 0
    recentBad.removeAll()
    carry.removeAll()
    fingerprint.removeAll()
    skippingLongLine = false
    atFileStart = true
    isUTF16 = false
    reportedDroppedKeys = false
    parser = MetricLineParser(names: parser.names)
  }

  /// Splits `bytes` into lines (joined with the carried partial line) and handles each.
  func consume(
    _ bytes: UnsafeRawBufferPointer, _ result: inout Poll,
    _ sink: (MetricLineParser.ParsedLine) -> Void
  ) {
    guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
    let count = bytes.count
    // Lines are parsed into a local buffer (moved out of `parsed` and back), so
    // handing each to `sink` costs no reference counting.
    var scratch = MetricLineParser.ParsedLine()
    swap(&scratch, &parsed)
    defer { swap(&scratch, &parsed) }
    var start = 0
    while start < count {
      guard let hit = memchr(base + start, 0x0A, count - start) else {
        // No newline: keep the rest for the next poll.
        if skippingLongLine { return }
        carry.append(contentsOf: UnsafeBufferPointer(start: base + start, count: count - start))
        if carry.count > maxLineBytes {
          carry.removeAll()
          skippingLongLine = true
        }
        return
      }
      let nl = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
      if skippingLongLine {
        skippingLongLine = false
        atFileStart = false
        lineCount += 1
        noteBad("line longer than \(maxLineBytes) bytes", &result)
      } else if carry.isEmpty {
        handleLine(
          UnsafeBufferPointer(start: base + start, count: nl - start), &scratch, &result, sink)
      } else {
        carry.append(contentsOf: UnsafeBufferPointer(start: base + start, count: nl - start))
        let line = carry
        carry.removeAll(keepingCapacity: true)
        line.withUnsafeBufferPointer { handleLine($0, &scratch, &result, sink) }
      }
      start = nl + 1
    }
  }

  private func handleLine(
    _ raw: UnsafeBufferPointer<UInt8>, _ parsed: inout MetricLineParser.ParsedLine,
    _ result: inout Poll,
    _ sink: (MetricLineParser.ParsedLine) -> Void
  ) {
    lineCount += 1
    // The same limit as for a carried line, so the verdict on a line never
    // depends on how its bytes were split across reads (checked first, as
    // the carried path does, for the same reason).
    if raw.count > maxLineBytes {
      atFileStart = false
      noteBad("line longer than \(maxLineBytes) bytes", &result)
      return
    }
    var raw = raw
    if atFileStart {
      atFileStart = false
      raw = UnsafeBufferPointer(rebasing: raw[utf8BOMLength(raw)...])
      if let bom = utf16Encoding(raw) {
        isUTF16 = true
        noteBad("the file is \(bom); metrics files must be UTF-8 (every line is skipped)", &result)
        return
      }
    }
    if isUTF16 {
      // Said once, at line 1; each line still counts as bad.
      badCount += 1
      result.badLines += 1
      return
    }
    if let first = raw.first, first == UInt8(ascii: "{") {
      // The common case; blank lines never start with a brace.
    } else if raw.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
      // Blank lines are tolerated silently (editors and `echo >>` make them).
      blankCount += 1
      return
    }
    var line = raw
    if let last = line.last, last == 0x0D { line = UnsafeBufferPointer(rebasing: line.dropLast()) }
    if let reason = parser.parse(line, into: &parsed) {
      noteBad(reason, &result)
      return
    }
    if parser.droppedValues > 0, !reportedDroppedKeys { reportDroppedKeys() }
    result.records += 1
    sink(parsed)
  }

  /// Says once (not once per line) that keys beyond the cap are being dropped.
  /// A note in `recentBad`, not a bad line: the line's other values were kept.
  private func reportDroppedKeys() {
    reportedDroppedKeys = true
    let first = parser.firstDroppedKey.map { " (the first: \"\($0)\")" } ?? ""
    recentBad.append(
      BadLine(
        path: path, line: lineCount,
        reason: "\(Self.droppedKeysNote)\(first); the other values of each record are kept"))
    if recentBad.count > keptBadLines { recentBad.removeFirst(recentBad.count - keptBadLines) }
  }

  /// The start of the one report of dropped keys.
  static let droppedKeysNote =
    "more than \(MetricLineParser.maxKeys) distinct metric keys: values of keys beyond the cap are dropped"

  func noteBad(_ reason: String, _ result: inout Poll) {
    badCount += 1
    result.badLines += 1
    recentBad.append(BadLine(path: path, line: lineCount, reason: reason))
    if recentBad.count > keptBadLines { recentBad.removeFirst(recentBad.count - keptBadLines) }
  }
}

/// "UTF-16 (little-endian)" / "UTF-16 (big-endian)" when a file's first
/// line looks UTF-16 (a byte-order mark, or ASCII with zero bytes between).
func utf16Encoding(_ line: UnsafeBufferPointer<UInt8>) -> String? {
  guard line.count >= 2 else { return nil }
  if (line[0] == 0xFF && line[1] == 0xFE) || (line[0] != 0 && line[1] == 0) {
    return "UTF-16 (little-endian)"
  }
  if (line[0] == 0xFE && line[1] == 0xFF) || (line[0] == 0 && line[1] != 0) {
    return "UTF-16 (big-endian)"
  }
  return nil
}

/// Puts parsed lines into a `SeriesStore`, mapping the parser's key numbers to
/// store slots once per key instead of hashing key strings per value.
struct StoreSink {
  private var trainSlots: [Int] = []
  private var evalSlots: [Int] = []
  /// Records added so far.
  private(set) var records = 0

  mutating func add(
    _ line: MetricLineParser.ParsedLine, _ store: inout SeriesStore, name: (Int) -> String
  ) {
    records += 1
    if line.routes.isEmpty {
      add(line, split: line.split, &store, name: name) { _ in true }
    } else {
      line.forEachRecord { split, includes in
        add(line, split: split, &store, name: name, takes: includes)
      }
    }
  }

  /// Appends one record of `line`: its fields `takes` says are in it.
  private mutating func add(
    _ line: MetricLineParser.ParsedLine, split: Split, _ store: inout SeriesStore,
    name: (Int) -> String, takes: (Int) -> Bool
  ) {
    store.beginRecord(split: split, step: line.step, time: line.time)
    for (i, (k, v)) in line.fields.enumerated() where takes(i) {
      let slot = split == .train ? lookup(&trainSlots, k) : lookup(&evalSlots, k)
      let s = slot ?? store.slot(key: name(k), split: split)
      if slot == nil {
        if split == .train { remember(&trainSlots, k, s) } else { remember(&evalSlots, k, s) }
      }
      store.append(slot: s, step: line.step, value: v)
    }
  }

  private func lookup(_ table: inout [Int], _ k: Int) -> Int? {
    k < table.count && table[k] >= 0 ? table[k] : nil
  }

  private func remember(_ table: inout [Int], _ k: Int, _ slot: Int) {
    if table.count <= k { table.append(contentsOf: repeatElement(-1, count: k + 1 - table.count)) }
    table[k] = slot
  }
}

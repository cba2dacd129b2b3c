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
/// its newline arrives. A file that shrank or was replaced (new inode) is read
/// again from the start and the poll says so (`reset`), so the caller can
/// clear what it built. Bad lines are counted and described, never fatal, and
/// nothing already returned is taken back.
public final class TailReader {
  /// The file being tailed.
  public let path: String
  /// Bytes consumed so far (complete lines plus the carried partial line).
  public private(set) var offset: Int64 = 0
  /// Lines seen so far (good + bad + blank), excluding a carried partial line.
  public private(set) var lineCount = 0
  /// Blank lines (only spaces, tabs, carriage returns) seen so far; skipped silently.
  public private(set) var blankCount = 0
  /// Bad lines seen so far.
  public private(set) var badCount = 0
  /// The most recent bad lines (at most `keptBadLines`).
  public private(set) var recentBad: [BadLine] = []
  /// How many bad lines `recentBad` keeps.
  public var keptBadLines = 50
  /// Lines longer than this are counted bad without being buffered whole.
  public var maxLineBytes = 16 << 20

  private var identity: (dev: UInt64, ino: UInt64)?
  private var carry: [UInt8] = []
  private var skippingLongLine = false
  private var parser = MetricLineParser()
  private var parsed = MetricLineParser.ParsedLine()
  private var chunkSize = 8 << 20

  /// What one poll found.
  public struct Poll: Sendable, Equatable {
    /// Complete good records delivered.
    public var records = 0
    /// Bad lines found in this poll.
    public var badLines = 0
    /// True when the file was truncated or replaced and reading started over.
    public var reset = false
  }

  /// A reader of `path`, starting at its beginning. No I/O until `poll`.
  public init(path: String) {
    self.path = path
  }

  /// Reads what was appended since the last poll into `store`.
  ///
  /// On `reset`, `store` is cleared first. Throws only when the file cannot be
  /// opened at all (missing, a directory, unreadable); what was read stays in `store`.
  @discardableResult
  public func poll(into store: inout SeriesStore) throws(RunLogError) -> Poll {
    var result = Poll()
    let keys = { [unowned self] in self.parser.keys }
    try readNew(&result, onReset: { store = SeriesStore() }) { line in
      store.countRecord()
      let k = keys()
      if let t = line.time { store.appendTime(split: line.split, step: line.step, time: t) }
      for (ki, v) in line.fields {
        store.append(key: k[ki], split: line.split, step: line.step, value: v)
      }
    }
    return result
  }

  /// Reads what was appended since the last poll as records (tests, tools, fuzzing).
  public func pollRecords() throws(RunLogError) -> (records: [MetricRecord], poll: Poll) {
    var result = Poll()
    var records: [MetricRecord] = []
    try readNew(&result, onReset: { records.removeAll() }) { line in
      records.append(self.record(line))
    }
    return (records, result)
  }

  /// Feeds bytes as if they had been appended to the file (no I/O).
  ///
  /// The same bytes fed in any chunking yield the same records: this is the
  /// core the file-reading paths share, and what the fuzz harness exercises.
  public func feed(_ bytes: UnsafeRawBufferPointer, _ sink: (MetricRecord) -> Void) -> Poll {
    var result = Poll()
    consume(bytes, &result) { sink(self.record($0)) }
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
      line.withUnsafeBufferPointer { handleLine($0, &result) { sink(self.record($0)) } }
    }
    return result
  }

  // MARK: - Internals

  private func record(_ line: MetricLineParser.ParsedLine) -> MetricRecord {
    let keys = parser.keys
    return MetricRecord(
      step: line.step, time: line.time, split: line.split,
      values: line.fields.map { (keys[$0.key], $0.value) })
  }

  private func readNew(
    _ result: inout Poll, onReset: () -> Void,
    _ sink: (MetricLineParser.ParsedLine) -> Void
  ) throws(RunLogError) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
      if errno == ENOENT { throw RunLogError(.missing(path: path)) }
      throw RunLogError(.notARun(path: path, reason: String(cString: strerror(errno))))
    }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else {
      throw RunLogError(.notARun(path: path, reason: String(cString: strerror(errno))))
    }
    guard (st.st_mode & S_IFMT) == S_IFREG else {
      throw RunLogError(.notARun(path: path, reason: "not a regular file"))
    }
    let id = (UInt64(st.st_dev), UInt64(st.st_ino))
    if let known = identity, known != id || Int64(st.st_size) < offset {
      restart()
      result.reset = true
      onReset()
    }
    identity = id
    let size = Int64(st.st_size)
    guard size > offset else { return }
    var buffer = [UInt8](repeating: 0, count: Int(min(Int64(chunkSize), size - offset)))
    while offset < size {
      let want = Int(min(Int64(buffer.count), size - offset))
      let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, want, off_t(offset)) }
      if n < 0 {
        if errno == EINTR { continue }
        throw RunLogError(.notARun(path: path, reason: String(cString: strerror(errno))))
      }
      if n == 0 { break }
      offset += Int64(n)
      buffer.withUnsafeBytes { raw in
        consume(UnsafeRawBufferPointer(rebasing: raw[0..<n]), &result, sink)
      }
    }
  }

  private func restart() {
    offset = 0
    lineCount = 0
    blankCount = 0
    badCount = 0
    recentBad.removeAll()
    carry.removeAll()
    skippingLongLine = false
  }

  /// Splits `bytes` into lines (joined with the carried partial line) and handles each.
  private func consume(
    _ bytes: UnsafeRawBufferPointer, _ result: inout Poll,
    _ sink: (MetricLineParser.ParsedLine) -> Void
  ) {
    let buf = bytes.bindMemory(to: UInt8.self)
    var start = 0
    while start < buf.count {
      guard let nl = buf[start...].firstIndex(of: 0x0A) else {
        // No newline: keep the rest for the next poll.
        if skippingLongLine { return }
        carry.append(contentsOf: buf[start...])
        if carry.count > maxLineBytes {
          carry.removeAll()
          skippingLongLine = true
        }
        return
      }
      if skippingLongLine {
        skippingLongLine = false
        lineCount += 1
        noteBad("line longer than \(maxLineBytes) bytes", &result)
      } else if carry.isEmpty {
        handleLine(UnsafeBufferPointer(rebasing: buf[start..<nl]), &result, sink)
      } else {
        carry.append(contentsOf: buf[start..<nl])
        let line = carry
        carry.removeAll(keepingCapacity: true)
        line.withUnsafeBufferPointer { handleLine($0, &result, sink) }
      }
      start = nl + 1
    }
  }

  private func handleLine(
    _ raw: UnsafeBufferPointer<UInt8>, _ result: inout Poll,
    _ sink: (MetricLineParser.ParsedLine) -> Void
  ) {
    lineCount += 1
    // The same limit as for a carried line, so the verdict on a line never
    // depends on how its bytes were split across reads.
    if raw.count > maxLineBytes {
      noteBad("line longer than \(maxLineBytes) bytes", &result)
      return
    }
    // Blank lines are tolerated silently (editors and `echo >>` make them).
    if raw.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
      blankCount += 1
      return
    }
    var line = raw
    if let last = line.last, last == 0x0D { line = UnsafeBufferPointer(rebasing: line.dropLast()) }
    if let reason = parser.parse(line, into: &parsed) {
      noteBad(reason, &result)
      return
    }
    result.records += 1
    sink(parsed)
  }

  private func noteBad(_ reason: String, _ result: inout Poll) {
    badCount += 1
    result.badLines += 1
    recentBad.append(BadLine(path: path, line: lineCount, reason: reason))
    if recentBad.count > keptBadLines { recentBad.removeFirst(recentBad.count - keptBadLines) }
  }
}

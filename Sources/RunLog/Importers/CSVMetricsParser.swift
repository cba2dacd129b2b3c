/// Turns the bytes of a metrics CSV file into records, incrementally.
///
/// The first non-blank row is the header; it must name a step column (`step`,
/// `global_step` or `Step`, any case) and may name a time column (`time`,
/// `wall_time`, `Wall time`, `timestamp`). Every other column is a metric;
/// HF names map as in `trainer_state.json` (`eval_loss` → eval `loss`).
/// Fields may be quoted (RFC 4180: `""` is a quote, a quoted field may span
/// lines). Blank and non-numeric cells are skipped (text columns are common);
/// a row whose step is not an integer or whose field count differs from the
/// header's is counted bad with its line number. A row is only parsed once its newline
/// arrives, so any chunking of the same bytes gives the same records.
public final class CSVMetricsParser {
  /// The file the bytes come from (for messages only).
  public let path: String
  /// The header's column names, once read.
  public private(set) var header: [String]?
  /// Rows seen (good + bad), not counting the header or blank rows.
  public private(set) var rowCount = 0
  /// Bad rows so far.
  public private(set) var badCount = 0
  /// The most recent bad rows (`line` is the 1-based line the row starts on).
  public private(set) var recentBad: [BadLine] = []
  /// Rows longer than this are counted bad without being buffered whole.
  public var maxRowBytes = defaultMaxRowBytes
  /// The default `maxRowBytes` (1 MiB).
  public static let defaultMaxRowBytes = 1 << 20

  private var row = CappedLine()
  private var inQuotes = false
  private var line = 1
  private var rowStartLine = 1
  private var stepColumn = -1
  private var timeColumn = -1
  private var columns: [(split: Split, key: String)] = []

  /// A parser for bytes of `path`.
  public init(path: String) {
    self.path = path
  }

  /// Feeds appended bytes; `sink` gets each record of each complete row.
  @discardableResult
  public func feed(_ bytes: UnsafeRawBufferPointer, _ sink: (MetricRecord) -> Void)
    -> TailReader.Poll
  {
    var poll = TailReader.Poll()
    var start = 0
    for (i, b) in bytes.enumerated() {
      if b == UInt8(ascii: "\"") {
        inQuotes.toggle()
      } else if b == 0x0A {
        line += 1
        if !inQuotes {
          append(UnsafeRawBufferPointer(rebasing: bytes[start..<i]))
          endRow(&poll, sink)
          start = i + 1
        }
      }
    }
    append(UnsafeRawBufferPointer(rebasing: bytes[start...]))
    return poll
  }

  /// Ends the input: a last row without a newline is parsed.
  @discardableResult
  public func finish(_ sink: (MetricRecord) -> Void) -> TailReader.Poll {
    var poll = TailReader.Poll()
    if !row.isEmpty { endRow(&poll, sink) }
    inQuotes = false
    return poll
  }

  /// Forgets everything (a replaced or truncated file).
  public func reset() {
    header = nil
    rowCount = 0
    badCount = 0
    recentBad.removeAll()
    row.clear()
    inQuotes = false
    line = 1
    rowStartLine = 1
  }

  private func append(_ bytes: UnsafeRawBufferPointer) {
    row.append(bytes, cap: maxRowBytes)
  }

  private func endRow(_ poll: inout TailReader.Poll, _ sink: (MetricRecord) -> Void) {
    defer {
      row.clear()
      rowStartLine = line
    }
    if row.overlong {
      guard header != nil else {
        // Without its header no row can be read: say so once, with the cap.
        header = []
        columns = []
        stepColumn = -1
        bad("header row longer than \(maxRowBytes) bytes (the row cap); no row can be read", &poll)
        return
      }
      rowCount += 1
      bad("row longer than \(maxRowBytes) bytes", &poll)
      return
    }
    if row.bytes.last == 0x0D { row.bytes.removeLast() }
    if row.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
    let fields = Self.split(row.bytes)
    guard header != nil else {
      readHeader(fields, &poll)
      return
    }
    rowCount += 1
    // Without a step column (said once, at the header) no row can be read.
    guard stepColumn >= 0 else { return }
    guard fields.count == columns.count else {
      bad("expected \(columns.count) fields, found \(fields.count)", &poll)
      return
    }
    guard let stepValue = Self.number(fields[stepColumn]), let step = exactInt(stepValue) else {
      bad("step \(fields[stepColumn].debugDescription) is not an integer", &poll)
      return
    }
    // A negative step would discard every earlier row through the resume rule.
    guard step >= 0 else {
      bad("step \(step) is negative", &poll)
      return
    }
    var time: Double?
    var pairs: [(String, Double)] = []
    for (i, cell) in fields.enumerated() where i != stepColumn {
      if cell.allSatisfy({ $0 == " " }) { continue }
      // Text columns (notes, phase names) are common in hand-made logs: skip the cell.
      guard let v = Self.number(cell) else { continue }
      if i == timeColumn { time = v } else { pairs.append((header?[i] ?? "", v)) }
    }
    poll.records += 1
    for r in splitRecords(pairs, step: step, time: time) { sink(r) }
  }

  private func readHeader(_ fields: [String], _ poll: inout TailReader.Poll) {
    var names = fields.map { $0.trimmingSpaces }
    // A UTF-8 byte-order mark (Excel writes one) is not part of the first name.
    if let first = names.first, first.hasPrefix("\u{FEFF}") {
      names[0] = String(first.dropFirst()).trimmingSpaces
    }
    header = names
    columns = names.map { ImportedNames.fromFlatKey($0) }
    let lower = names.map { $0.lowercased() }
    stepColumn = lower.firstIndex(where: { $0 == "step" || $0 == "global_step" }) ?? -1
    timeColumn =
      lower.firstIndex(where: { ["time", "wall_time", "wall time", "timestamp"].contains($0) })
      ?? -1
    if stepColumn < 0 {
      bad("header has no \"step\" column", &poll)
    }
  }

  private func bad(_ reason: String, _ poll: inout TailReader.Poll) {
    badCount += 1
    poll.badLines += 1
    recentBad.append(BadLine(path: path, line: rowStartLine, reason: reason))
    if recentBad.count > 50 { recentBad.removeFirst(recentBad.count - 50) }
  }

  /// Splits one row into fields (quotes removed, `""` → `"`).
  static func split(_ row: [UInt8]) -> [String] {
    var fields: [String] = []
    var cur: [UInt8] = []
    var quoted = false
    var i = 0
    while i < row.count {
      let b = row[i]
      if quoted {
        if b == UInt8(ascii: "\"") {
          if i + 1 < row.count, row[i + 1] == UInt8(ascii: "\"") {
            cur.append(b)
            i += 1
          } else {
            quoted = false
          }
        } else {
          cur.append(b)
        }
      } else if b == UInt8(ascii: "\"") {
        quoted = true
      } else if b == UInt8(ascii: ",") {
        fields.append(String(decoding: cur, as: UTF8.self))
        cur.removeAll(keepingCapacity: true)
      } else {
        cur.append(b)
      }
      i += 1
    }
    fields.append(String(decoding: cur, as: UTF8.self))
    return fields
  }

  /// A cell as a number: decimal, or Python/pandas spellings of non-finite values.
  static func number(_ cell: String) -> Double? {
    let t = cell.trimmingSpaces
    switch t.lowercased() {
    case "nan": return .nan
    case "inf", "+inf", "infinity", "+infinity": return .infinity
    case "-inf", "-infinity": return -.infinity
    default: break
    }
    guard let first = t.utf8.first,
      first == UInt8(ascii: "-") || first == UInt8(ascii: "+")
        || first == UInt8(ascii: ".") || (first >= 0x30 && first <= 0x39)
    else { return nil }
    return Double(t)
  }
}

extension String {
  /// Without leading and trailing spaces and tabs.
  var trimmingSpaces: String {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
    while let l = s.last, l == " " || l == "\t" { s.removeLast() }
    return String(s)
  }
}

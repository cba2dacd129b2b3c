/// Turns the bytes of a JSON-lines metrics log written by another trainer
/// (TRL / Accelerate style: one flat object per line with `step` or
/// `global_step` and HF metric names) into records, incrementally.
///
/// Each line is parsed with `LenientJSON` (Python's `NaN`/`Infinity` are
/// values); keys map as in `trainer_state.json` (`eval_loss` → eval `loss`,
/// `learning_rate` → `lr`); a `time`/`timestamp` number is the record time;
/// `"split": "eval"` (dpotop's own format) makes the whole line eval.
/// A line is handled once its newline arrives; a line that is not an object
/// with an integer step is counted bad with its line number.
public final class JSONLMetricsParser {
  /// The file the bytes come from (for messages only).
  public let path: String
  /// Lines seen (good + bad, blank lines excluded).
  public private(set) var lineCount = 0
  /// Bad lines so far.
  public private(set) var badCount = 0
  /// The most recent bad lines.
  public private(set) var recentBad: [BadLine] = []
  /// Lines longer than this are counted bad without being buffered whole.
  public var maxLineBytes = 1 << 20

  private var carry = CappedLine()
  private var line = 0

  /// A parser for bytes of `path`.
  public init(path: String) {
    self.path = path
  }

  /// Feeds appended bytes; `sink` gets the records of each complete line.
  @discardableResult
  public func feed(_ bytes: UnsafeRawBufferPointer, _ sink: (MetricRecord) -> Void)
    -> TailReader.Poll
  {
    var poll = TailReader.Poll()
    var start = 0
    for (i, b) in bytes.enumerated() where b == 0x0A {
      append(UnsafeRawBufferPointer(rebasing: bytes[start..<i]))
      endLine(&poll, sink)
      start = i + 1
    }
    append(UnsafeRawBufferPointer(rebasing: bytes[start...]))
    return poll
  }

  /// Ends the input: a last line without a newline is parsed.
  @discardableResult
  public func finish(_ sink: (MetricRecord) -> Void) -> TailReader.Poll {
    var poll = TailReader.Poll()
    if !carry.isEmpty { endLine(&poll, sink) }
    return poll
  }

  /// Forgets everything (a replaced or truncated file).
  public func reset() {
    lineCount = 0
    badCount = 0
    recentBad.removeAll()
    carry.clear()
    line = 0
  }

  private func append(_ bytes: UnsafeRawBufferPointer) {
    carry.append(bytes, cap: maxLineBytes)
  }

  private func endLine(_ poll: inout TailReader.Poll, _ sink: (MetricRecord) -> Void) {
    line += 1
    defer {
      carry.clear()
    }
    if carry.overlong {
      lineCount += 1
      bad("line longer than \(maxLineBytes) bytes", &poll)
      return
    }
    if carry.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
    lineCount += 1
    let records: [MetricRecord]
    switch Self.records(carry.bytes) {
    case .success(let r): records = r
    case .failure(let reason):
      bad(reason, &poll)
      return
    }
    poll.records += 1
    for r in records { sink(r) }
  }

  /// The records of one line, or why it is bad.
  static func records(_ line: [UInt8]) -> Result<[MetricRecord], LineError> {
    let json: LenientJSON
    do {
      json = try LenientJSON.parse(line)
    } catch {
      return .failure(LineError("column \(error.column): \(error.reason)"))
    }
    guard case .object(let members) = json else { return .failure(LineError("not a JSON object")) }
    guard let s = (json["step"] ?? json["global_step"])?.number, let step = exactInt(s) else {
      return .failure(LineError("no integer \"step\""))
    }
    var time: Double?
    var pairs: [(String, Double)] = []
    for (k, v) in members {
      guard let x = v.number, k != "step", k != "global_step" else { continue }
      if k == "time" || k == "timestamp" { time = x } else { pairs.append((k, x)) }
    }
    var records = splitRecords(pairs, step: step, time: time)
    // dpotop's own format names the split in a field: honour it.
    if json["split"]?.string == "eval" {
      records = records.map { r in
        var r = r
        r.split = .eval
        return r
      }
    }
    return .success(records)
  }

  /// Why a line is bad.
  struct LineError: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
  }

  private func bad(_ reason: LineError, _ poll: inout TailReader.Poll) {
    bad(reason.reason, &poll)
  }

  private func bad(_ reason: String, _ poll: inout TailReader.Poll) {
    badCount += 1
    poll.badLines += 1
    recentBad.append(BadLine(path: path, line: line, reason: reason))
    if recentBad.count > 50 { recentBad.removeFirst(recentBad.count - 50) }
  }
}

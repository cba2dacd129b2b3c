/// Turns the bytes of a `probes.jsonl` into `ProbeRecord`s, incrementally.
///
/// A line is handled once its newline arrives (a half-written last line
/// waits). A line that is not a complete, consistent probe — bad JSON, a
/// missing or mistyped field, arrays whose lengths disagree, a non-finite
/// log-prob, a `first_diff` past the shorter completion, more than
/// `maxLineBytes` — is counted bad with its line number and skipped; nothing
/// already handed out is taken back. Unknown fields are ignored.
public final class ProbesParser {
  /// The file the bytes come from (for messages only).
  public let path: String
  /// Lines seen (good + bad, blank lines excluded).
  public private(set) var lineCount = 0
  /// Bad lines so far, and the most recent ones.
  public private(set) var badCount = 0
  public private(set) var recentBad: [BadLine] = []
  /// Lines longer than this are counted bad without being buffered whole
  /// (a probe of a 128-token context is a few kB).
  public var maxLineBytes = 1 << 20

  private var carry = CappedLine()
  private var line = 0

  /// A parser for bytes of `path`.
  public init(path: String) {
    self.path = path
  }

  /// Feeds appended bytes; `sink` gets each complete good probe. Returns the
  /// number of good and bad lines this call found.
  @discardableResult
  public func feed(_ bytes: UnsafeRawBufferPointer, _ sink: (ProbeRecord) -> Void)
    -> TailReader.Poll
  {
    var poll = TailReader.Poll()
    var start = 0
    for (i, b) in bytes.enumerated() where b == 0x0A {
      carry.append(UnsafeRawBufferPointer(rebasing: bytes[start..<i]), cap: maxLineBytes)
      endLine(&poll, sink)
      start = i + 1
    }
    carry.append(UnsafeRawBufferPointer(rebasing: bytes[start...]), cap: maxLineBytes)
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

  private func endLine(_ poll: inout TailReader.Poll, _ sink: (ProbeRecord) -> Void) {
    line += 1
    defer { carry.clear() }
    if carry.overlong {
      lineCount += 1
      bad("line longer than \(maxLineBytes) bytes", &poll)
      return
    }
    if carry.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
    lineCount += 1
    switch Self.record(carry.bytes) {
    case .success(let r):
      poll.records += 1
      sink(r)
    case .failure(let e):
      bad(e.reason, &poll)
    }
  }

  private func bad(_ reason: String, _ poll: inout TailReader.Poll) {
    badCount += 1
    poll.badLines += 1
    recentBad.append(BadLine(path: path, line: line, reason: reason))
    if recentBad.count > 50 { recentBad.removeFirst(recentBad.count - 50) }
  }

  /// Why a line is not a probe.
  struct LineError: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
  }

  /// The probe of one line, or why it is bad.
  static func record(_ line: [UInt8]) -> Result<ProbeRecord, LineError> {
    let json: LenientJSON
    do {
      json = try LenientJSON.parse(line)
    } catch {
      return .failure(LineError("column \(error.column): \(error.reason)"))
    }
    guard case .object = json else { return .failure(LineError("not a JSON object")) }
    func int(_ key: String) -> Int? {
      json[key]?.number.flatMap { exactInt($0) }
    }
    func strings(_ key: String) -> [String]? {
      guard case .array(let items)? = json[key] else { return nil }
      var out: [String] = []
      out.reserveCapacity(items.count)
      for item in items {
        guard let s = item.string else { return nil }
        out.append(s)
      }
      return out
    }
    func numbers(_ key: String) -> [Double]? {
      guard case .array(let items)? = json[key] else { return nil }
      var out: [Double] = []
      out.reserveCapacity(items.count)
      for item in items {
        guard let x = item.number, x.isFinite else { return nil }
        out.append(x)
      }
      return out
    }
    guard let step = int("step") else { return .failure(LineError("no integer \"step\"")) }
    guard let pair = int("pair"), pair >= 0 else {
      return .failure(LineError("no integer \"pair\" >= 0"))
    }
    guard let prompt = json["prompt"]?.string else {
      return .failure(LineError("no string \"prompt\""))
    }
    guard let ct = strings("chosen_tokens"), let rt = strings("rejected_tokens") else {
      return .failure(LineError("\"chosen_tokens\"/\"rejected_tokens\" must be arrays of strings"))
    }
    let numberKeys = ["chosen_logps", "rejected_logps", "chosen_ref_logps", "rejected_ref_logps"]
    var arrays: [[Double]] = []
    for key in numberKeys {
      guard let a = numbers(key) else {
        return .failure(LineError("\"\(key)\" must be an array of finite numbers"))
      }
      arrays.append(a)
    }
    guard arrays[0].count == ct.count, arrays[2].count == ct.count else {
      return .failure(LineError("chosen arrays differ in length from \"chosen_tokens\""))
    }
    guard arrays[1].count == rt.count, arrays[3].count == rt.count else {
      return .failure(LineError("rejected arrays differ in length from \"rejected_tokens\""))
    }
    guard let firstDiff = int("first_diff"), firstDiff >= 0, firstDiff <= min(ct.count, rt.count)
    else {
      return .failure(LineError("no integer \"first_diff\" within the shorter completion"))
    }
    return .success(
      ProbeRecord(
        step: step, pair: pair, prompt: prompt, chosenTokens: ct, rejectedTokens: rt,
        chosenLogps: arrays[0], rejectedLogps: arrays[1], chosenRefLogps: arrays[2],
        rejectedRefLogps: arrays[3], firstDiff: firstDiff))
  }
}

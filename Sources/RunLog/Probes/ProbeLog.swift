/// What a run's `probes.jsonl` held when last read: the good probes in file
/// order, and the count and most recent of its bad lines.
public struct ProbeLog: Sendable, Equatable {
  /// Good probes in file order.
  public private(set) var records: [ProbeRecord] = []
  /// Bad lines so far, and the most recent ones.
  public var badCount = 0
  public var recentBad: [BadLine] = []
  /// Why the file could not be read at the last poll (nil: it could, or it
  /// is missing); what was read before stays.
  public var error: String?

  /// An empty log.
  public init(records: [ProbeRecord] = []) {
    for r in records { append(r) }
  }

  /// Adds a probe read after the ones already held.
  public mutating func append(_ record: ProbeRecord) {
    records.append(record)
  }

  /// Evaluation steps with probes, ascending.
  public var steps: [Int] { Array(Set(records.map(\.step))).sorted() }

  /// Probe indices logged, ascending.
  public var pairs: [Int] { Array(Set(records.map(\.pair))).sorted() }

  /// The probe `pair` at the latest evaluation at or before `step` (nil:
  /// the latest of all); a probe logged twice for one step (a resumed run)
  /// is taken from its last line.
  public func record(pair: Int, atOrBefore step: Int?) -> ProbeRecord? {
    var best: ProbeRecord?
    for r in records where r.pair == pair && r.step <= (step ?? Int.max) {
      if best == nil || r.step >= best!.step { best = r }
    }
    return best
  }
}

/// Tails a run's `probes.jsonl` into a `ProbeLog`: a new consumer of the
/// shared `FileTail` (replaced or truncated files start over) and
/// `ProbesParser`. A missing file is an empty log, not an error: runs made
/// before probes existed, and other trainers' runs, have none.
public final class ProbesReader {
  /// What was read so far.
  public private(set) var log = ProbeLog()
  private var tail: FileTail
  private let parser: ProbesParser

  /// A reader of `path`; no I/O until `poll`.
  public init(path: String) {
    tail = FileTail(path: path)
    parser = ProbesParser(path: path)
  }

  /// A reader of the `probes.jsonl` of `run`.
  public convenience init(run: RunDirectory) {
    self.init(path: run.probesPath)
  }

  /// Reads what was appended since the last poll. Returns true when `log`
  /// changed. Throws only when the file exists but cannot be read; what was
  /// read before stays in `log`.
  @discardableResult
  public func poll() throws(RunLogError) -> Bool {
    var changed = false
    defer {
      log.badCount = parser.badCount
      log.recentBad = parser.recentBad
    }
    do {
      try tail.read(
        onReset: {
          parser.reset()
          log = ProbeLog()
          changed = true
        },
        { chunk in
          let p = parser.feed(chunk) { log.append($0) }
          if p.records > 0 || p.badLines > 0 { changed = true }
        })
    } catch {
      if case .missing = error.kind { return changed }
      if log.error != error.description {
        log.error = error.description
        changed = true
      }
      throw error
    }
    if log.error != nil {
      log.error = nil
      changed = true
    }
    return changed
  }
}

/// Tails one TensorBoard event file into a `SeriesStore`.
///
/// Reads from the byte offset where the last poll stopped (a record still
/// being written waits for the next poll); a replaced or truncated file is
/// reported as a reset. Tags map to dpotop's splits and keys through
/// `ImportedNames.fromTag`.
public final class TFEventsFileReader {
  /// The event file.
  public var path: String { tail.path }
  /// The parser holding tags, counts, problems, texts and hparams.
  public let parser: TFEventsParser
  private var tail: FileTail
  private var mapping: [(split: Split, key: String)] = []
  private var lastTimeStep: [Int?] = [nil, nil]

  /// A reader of `path`; no I/O until `poll`.
  public init(path: String) {
    tail = FileTail(path: path)
    parser = TFEventsParser(path: path)
  }

  /// Bytes read so far.
  public var offset: Int64 { tail.offset }

  /// Starts over from the beginning of the file on the next poll.
  public func restart() {
    tail.restart()
    parser.reset()
    lastTimeStep = [nil, nil]
  }

  /// Reads what was appended since the last poll into `store`.
  ///
  /// When the file was replaced or truncated, `store` is cleared and the file
  /// read from its start; the poll says `reset`.
  @discardableResult
  public func poll(into store: inout SeriesStore) throws(RunLogError) -> TailReader.Poll {
    var result = TailReader.Poll()
    try tail.read(
      onReset: {
        parser.reset()
        lastTimeStep = [nil, nil]
        store = SeriesStore()
        result.reset = true
      },
      { chunk in
        let p = parser.feed(chunk) { point in add(point, &store) }
        result.records += p.records
        result.badLines += p.badLines
      })
    return result
  }

  /// Ends reading: a partial record left at the end is reported as truncated
  /// (for a file known to be complete, e.g. `summary` of a finished run).
  @discardableResult
  public func finish(into store: inout SeriesStore) -> TailReader.Poll {
    parser.finish { point in add(point, &store) }
  }

  private func add(_ point: TFScalarPoint, _ store: inout SeriesStore) {
    while mapping.count < parser.tags.count {
      mapping.append(ImportedNames.fromTag(parser.tags[mapping.count]))
    }
    let (split, key) = mapping[point.tag]
    let s = split == .train ? 0 : 1
    if lastTimeStep[s] != point.step {
      lastTimeStep[s] = point.step
      store.countRecord()
      store.appendTime(split: split, step: point.step, time: point.wallTime)
    }
    store.append(key: key, split: split, step: point.step, value: point.value)
  }
}

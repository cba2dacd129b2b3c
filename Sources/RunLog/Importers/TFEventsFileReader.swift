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
    var batch = PointBatch()
    try tail.read(
      onReset: {
        parser.reset()
        lastTimeStep = [nil, nil]
        store = SeriesStore()
        batch = PointBatch()
        result.reset = true
      },
      { chunk in
        let p = parser.feed(chunk) { point in add(point, &batch, &store) }
        result.records += p.records
        result.badLines += p.badLines
      })
    flush(&batch, &store)
    return result
  }

  /// Ends reading: a partial record left at the end is reported as truncated
  /// (for a file known to be complete, e.g. `summary` of a finished run).
  @discardableResult
  public func finish(into store: inout SeriesStore) -> TailReader.Poll {
    var batch = PointBatch()
    let p = parser.finish { point in add(point, &batch, &store) }
    flush(&batch, &store)
    return p
  }

  /// Points of one poll gathered per tag, so the store's keyed lookup happens
  /// once per tag and poll rather than once per point (the hot path of a
  /// million-scalar file).
  private struct PointBatch {
    var steps: [[Int]] = []
    var values: [[Double]] = []
  }

  private func add(_ point: TFScalarPoint, _ batch: inout PointBatch, _ store: inout SeriesStore) {
    let t = point.tag
    if t >= batch.steps.count {
      let n = parser.tags.count
      batch.steps.append(contentsOf: repeatElement([], count: n - batch.steps.count))
      batch.values.append(contentsOf: repeatElement([], count: n - batch.values.count))
      while mapping.count < n { mapping.append(ImportedNames.fromTag(parser.tags[mapping.count])) }
    }
    let split = mapping[t].split
    let s = split == .train ? 0 : 1
    if lastTimeStep[s] != point.step {
      lastTimeStep[s] = point.step
      store.countRecord()
      store.appendTime(split: split, step: point.step, time: point.wallTime)
    }
    batch.steps[t].append(point.step)
    batch.values[t].append(point.value)
  }

  /// Moves the batch into `store`, tags in first-seen order.
  private func flush(_ batch: inout PointBatch, _ store: inout SeriesStore) {
    for t in batch.steps.indices where !batch.steps[t].isEmpty {
      let (split, key) = mapping[t]
      var series = store.series(key, split) ?? Series()
      // Detach the store's copy so appending below does not copy the arrays.
      store.setSeries(key, split, Series())
      series.reserve(batch.steps[t].count)
      for (step, value) in zip(batch.steps[t], batch.values[t]) {
        series.append(step: step, value: value)
      }
      store.setSeries(key, split, series)
    }
    batch = PointBatch()
  }
}

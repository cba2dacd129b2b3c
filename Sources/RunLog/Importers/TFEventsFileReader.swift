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
    var cache = SlotCache(lastTimeStep: lastTimeStep)
    defer { lastTimeStep = cache.lastTimeStep }
    try tail.read(
      onReset: {
        parser.reset()
        store = SeriesStore()
        cache = SlotCache(lastTimeStep: [nil, nil])
        result.reset = true
      },
      { chunk in
        let p = parser.feed(chunk) { point in
          if point.tag >= cache.slot.count { cache.extend(parser.tags, &mapping) }
          cache.add(point, &store)
        }
        result.records += p.records
        result.badLines += p.badLines
      })
    return result
  }

  /// Ends reading: a partial record left at the end is reported as truncated
  /// (for a file known to be complete, e.g. `summary` of a finished run).
  @discardableResult
  public func finish(into store: inout SeriesStore) -> TailReader.Poll {
    var cache = SlotCache(lastTimeStep: lastTimeStep)
    defer { lastTimeStep = cache.lastTimeStep }
    return parser.finish { point in
      if point.tag >= cache.slot.count { cache.extend(parser.tags, &mapping) }
      cache.add(point, &store)
    }
  }

  /// Per tag: the store slot and split, valid for one poll (the caller owns
  /// the store between polls and may replace it). A local value, so the
  /// million-point loop touches no property of the reader.
  private struct SlotCache {
    var slot: [Int] = []
    var isTrain: [Bool] = []
    /// The tags' splits and keys (for making a slot).
    var keys: [(split: Split, key: String)] = []
    /// The last step whose time was recorded, train and eval.
    var lastTimeStep: [Int?]

    init(lastTimeStep: [Int?]) { self.lastTimeStep = lastTimeStep }

    /// Makes room for `tags` (mapped to splits and keys once, in `mapping`).
    /// Slots are made lazily in `add`, so keys appear in the order of their first point.
    mutating func extend(_ tags: [String], _ mapping: inout [(split: Split, key: String)]) {
      while mapping.count < tags.count {
        mapping.append(ImportedNames.fromTag(tags[mapping.count]))
      }
      while slot.count < tags.count {
        isTrain.append(mapping[slot.count].split == .train)
        slot.append(-1)
      }
      keys = mapping
    }

    mutating func add(_ point: TFScalarPoint, _ store: inout SeriesStore) {
      let t = point.tag
      var s = slot[t]
      if s < 0 {
        let (split, key) = keys[t]
        s = store.slot(key: key, split: split)
        slot[t] = s
      }
      let train = isTrain[t]
      let i = train ? 0 : 1
      if lastTimeStep[i] != point.step {
        lastTimeStep[i] = point.step
        store.countRecord()
        store.appendTime(split: train ? .train : .eval, step: point.step, time: point.wallTime)
      }
      store.append(slot: s, step: point.step, value: point.value)
    }
  }
}

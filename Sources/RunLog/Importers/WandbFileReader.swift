/// Tails one W&B `.wandb` file into a `SeriesStore`.
///
/// Reads from the byte offset where the last poll stopped (a record still
/// being written waits for the next poll); a replaced or truncated file is
/// reported as a reset. A history row is plotted at `train/global_step` when
/// the trainer logged it (HF Trainer's WandbCallback does, in every row), else
/// at W&B's own step; its keys map to dpotop's splits and keys through
/// `ImportedNames.fromTag` (`train/rewards/chosen` → train `rewards/chosen`,
/// `eval/loss` → eval `loss`), so a row holding both splits makes two records.
/// Keys starting with `_` are W&B's own (`_runtime`, `_wandb...`) and skipped.
public final class WandbFileReader {
  /// The `.wandb` file.
  public var path: String { tail.path }
  /// The parser holding keys, counts, problems, config, summary and run info.
  public let parser: WandbParser
  private var tail: FileTail
  /// Per interned key: its split and dpotop key, nil for W&B's own keys (skipped).
  private var mapping: [(split: Split, key: String)?] = []

  /// A reader of `path`; no I/O until `poll`.
  public init(path: String) {
    tail = FileTail(path: path)
    parser = WandbParser(path: path)
  }

  /// Bytes read so far.
  public var offset: Int64 { tail.offset }

  /// Starts over from the beginning of the file on the next poll.
  public func restart() {
    tail.restart()
    parser.reset()
  }

  /// Reads what was appended since the last poll into `store`.
  ///
  /// When the file was replaced or truncated, `store` is cleared and the file
  /// read from its start; the poll says `reset`.
  @discardableResult
  public func poll(into store: inout SeriesStore) throws(RunLogError) -> TailReader.Poll {
    var result = TailReader.Poll()
    var slots = SlotCache()
    try tail.read(
      onReset: {
        parser.reset()
        store = SeriesStore()
        slots = SlotCache()
        result.reset = true
      },
      { chunk in
        let p = parser.feed(chunk) { row in add(row, &store, &slots) }
        result.records += p.records
        result.badLines += p.badLines
      })
    return result
  }

  /// Ends reading: a partial record left at the end is reported as truncated
  /// (for a file known to be complete).
  @discardableResult
  public func finish(into store: inout SeriesStore) -> TailReader.Poll {
    var slots = SlotCache()
    return parser.finish { row in add(row, &store, &slots) }
  }

  /// Store slots of interned keys, valid for one poll (the caller owns the
  /// store between polls and may replace it). A local value, so the
  /// per-item loop touches no property of the reader and copies no key string.
  private struct SlotCache {
    var slot: [Int] = []
    /// Per key: 0 train, 1 eval, -1 W&B's own (skipped).
    var split: [Int8] = []
  }

  private func add(_ row: WandbRow, _ store: inout SeriesStore, _ slots: inout SlotCache) {
    let keyCount = parser.keyCount
    if slots.slot.count < keyCount {
      if mapping.count < keyCount {
        let names = parser.keys
        while mapping.count < keyCount {
          let name = names[mapping.count]
          mapping.append(name.hasPrefix("_") ? nil : ImportedNames.fromTag(name))
        }
      }
      while slots.slot.count < keyCount {
        let m = mapping[slots.slot.count]
        slots.split.append(m == nil ? -1 : (m!.split == .train ? 0 : 1))
        slots.slot.append(-1)
      }
    }
    let step = row.plotStep
    var begun = (train: false, eval: false)
    for item in row.items {
      let split = slots.split[item.key]
      if split < 0 { continue }
      if split == 0, !begun.train {
        begun.train = true
        store.beginRecord(split: .train, step: step, time: row.time)
      } else if split == 1, !begun.eval {
        begun.eval = true
        store.beginRecord(split: .eval, step: step, time: row.time)
      }
      var s = slots.slot[item.key]
      if s < 0 {
        let (sp, key) = mapping[item.key]!
        s = store.slot(key: key, split: sp)
        slots.slot[item.key] = s
      }
      store.append(slot: s, step: step, value: item.value)
    }
  }
}

import RunLog

extension SeriesStore {
  /// Appends everything in `delta` (a later read of the same run) to this store.
  ///
  /// Points at or before a series' last step supersede its tail, exactly as
  /// if the records had been appended one by one.
  public mutating func merge(_ delta: SeriesStore) {
    for split in Split.allCases {
      for key in delta.keys(split) {
        guard let s = delta.series(key, split) else { continue }
        for i in 0..<s.count {
          append(key: key, split: split, step: s.steps[i], value: s.values[i])
        }
      }
      let t = delta.times(split)
      for i in 0..<t.count { appendTime(split: split, step: t.steps[i], time: t.values[i]) }
    }
    for _ in 0..<delta.recordCount { countRecord() }
  }
}

/// A parser of a line-oriented metrics log (CSV) that is fed the
/// bytes a file gains and hands out records; what `FileTail.poll` drives.
protocol LineMetricsParser: AnyObject {
  /// Feeds appended bytes; `sink` gets the records of each complete line.
  @discardableResult
  func feed(_ bytes: UnsafeRawBufferPointer, _ sink: (MetricRecord) -> Void) -> TailReader.Poll
  /// Forgets everything (a replaced or truncated file).
  func reset()
}

extension CSVMetricsParser: LineMetricsParser {}

extension FileTail {
  /// Reads what the file gained through `parser` into `store`; a replaced or
  /// truncated file resets the parser, clears `store` and says `reset`.
  mutating func poll(_ parser: some LineMetricsParser, into store: inout SeriesStore)
    throws(RunLogError) -> TailReader.Poll
  {
    var result = TailReader.Poll()
    try read(
      onReset: {
        parser.reset()
        store = SeriesStore()
        result.reset = true
      },
      { chunk in
        let p = parser.feed(chunk) { store.append($0) }
        result.records += p.records
        result.badLines += p.badLines
      })
    return result
  }
}

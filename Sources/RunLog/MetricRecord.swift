/// Which part of training a record describes.
public enum Split: String, Sendable, Codable, CaseIterable {
  /// A training step (batch means).
  case train
  /// A held-out evaluation.
  case eval
}

/// One line of `metrics.jsonl`: the metrics logged at one step.
///
/// Values are `Double` and may be non-finite (`NaN`, `Infinity`): a diverging
/// run is exactly what a user needs to see, so nothing is dropped or clamped.
/// `values` keeps the order the writer used, which is also the order a reader
/// shows them in.
public struct MetricRecord: Sendable, Equatable {
  /// The optimiser step this record belongs to (0-based or 1-based, as logged).
  public var step: Int
  /// Unix time in seconds when the record was written, if known.
  public var time: Double?
  /// Train or eval.
  public var split: Split
  /// Metric name → value, in logged order. Names follow TRL (`loss`, `rewards/chosen`, ...).
  public var values: [(key: String, value: Double)]

  /// Creates a record.
  public init(step: Int, time: Double? = nil, split: Split = .train, values: [(String, Double)]) {
    self.step = step
    self.time = time
    self.split = split
    self.values = values.map { (key: $0.0, value: $0.1) }
  }

  /// The value of `key`, if logged.
  public subscript(key: String) -> Double? {
    values.first(where: { $0.key == key })?.value
  }

  /// Records are equal when every field is equal; NaN equals NaN here, since
  /// a record read back from disk must compare equal to the one written.
  public static func == (a: MetricRecord, b: MetricRecord) -> Bool {
    guard a.step == b.step, a.split == b.split, a.values.count == b.values.count else {
      return false
    }
    guard sameDouble(a.time, b.time) else { return false }
    for (x, y) in zip(a.values, b.values) {
      guard x.key == y.key, sameDouble(x.value, y.value) else { return false }
    }
    return true
  }
}

private func sameDouble(_ a: Double?, _ b: Double?) -> Bool {
  switch (a, b) {
  case (nil, nil): return true
  case (let x?, let y?): return x == y || (x.isNaN && y.isNaN)
  default: return false
  }
}

/// The steps of a plotted series, stored as a formula while they are evenly
/// spaced and as an array only once they are not.
///
/// Trainers log at every step or every k steps, so a 1M-step series' steps
/// are almost always `first + i·stride`: three integers instead of 8 MB.
/// The first step that breaks the pattern (a gap left by a skipped bad
/// line, an importer's irregular steps) turns the column into an array,
/// which costs what a plain array would have. Either way, steps strictly
/// increase.
public struct StepColumn: Sendable, Hashable, RandomAccessCollection, ExpressibleByArrayLiteral {
  /// The first step and the spacing, while the steps are evenly spaced.
  private var start = 0
  private var stride = 1
  private var regularCount = 0
  /// Every step, once they are not evenly spaced.
  private var explicit: [Int]?

  /// No steps.
  public init() {}

  /// The steps of `steps` (strictly increasing).
  public init(_ steps: some Sequence<Int>) {
    for s in steps { append(s) }
  }

  public init(arrayLiteral steps: Int...) {
    self.init(steps)
  }

  public var startIndex: Int { 0 }
  public var endIndex: Int { explicit?.count ?? regularCount }

  public subscript(i: Int) -> Int {
    if let explicit { return explicit[i] }
    precondition(i >= 0 && i < regularCount, "step index out of range")
    return start &+ i &* stride
  }

  /// True while the steps are stored as a formula (no array).
  public var isRegular: Bool { explicit == nil }

  /// Appends a step, which must be greater than the last.
  public mutating func append(_ step: Int) {
    if explicit != nil {
      explicit?.append(step)
      return
    }
    switch regularCount {
    case 0:
      start = step
    case 1:
      let (d, overflow) = step.subtractingReportingOverflow(start)
      guard !overflow, d > 0 else { return materialize(appending: step) }
      stride = d
    default:
      let (offset, o1) = regularCount.multipliedReportingOverflow(by: stride)
      let (next, o2) = start.addingReportingOverflow(offset)
      guard !o1, !o2, next == step else { return materialize(appending: step) }
    }
    regularCount += 1
  }

  /// Drops the steps from index `i` on.
  public mutating func removeSuffix(from i: Int) {
    let i = Swift.max(0, Swift.min(i, count))
    if explicit != nil {
      explicit?.removeSubrange(i...)
    } else {
      regularCount = i
      if i <= 1 { stride = 1 }
    }
  }

  /// The steps from index `i` on, as a column of their own.
  public func suffix(from i: Int) -> StepColumn {
    let i = Swift.max(0, Swift.min(i, count))
    if let explicit { return StepColumn(explicit[i...]) }
    var out = StepColumn()
    out.start = start &+ i &* stride
    out.stride = stride
    out.regularCount = regularCount - i
    if out.regularCount <= 1 { out.stride = 1 }
    return out
  }

  /// Reserves room for `n` more steps (only an array needs it).
  public mutating func reserve(_ n: Int) {
    guard let have = explicit?.count else { return }
    explicit?.reserveCapacity(have + n)
  }

  /// Index of the first step ≥ `step` (`count` if none).
  public func firstIndex(atOrAfter step: Int) -> Int {
    firstIndex(atOrAfter: step, from: 0)
  }

  /// Index of the first step ≥ `step` at or after index `from`; `guess`, when
  /// in range, is tried first (a chart's next column edge is usually where
  /// even spacing puts it). Searching forward from `from` gallops, so a pass
  /// over increasing targets costs O(columns · log gap), not O(points).
  public func firstIndex(atOrAfter step: Int, from: Int, guess: Int = -1) -> Int {
    let n = count
    let from = Swift.max(0, Swift.min(from, n))
    guard let explicit else {
      guard n > 0, step > start else { return from }
      // ceil((step - start) / stride), without overflow for any step.
      let (d, overflow) = step.subtractingReportingOverflow(start)
      if overflow { return n }
      let i = d / stride + (d % stride == 0 ? 0 : 1)
      return Swift.max(from, Swift.min(i, n))
    }
    return explicit.withUnsafeBufferPointer { steps in
      if guess > from && guess < n && steps[guess - 1] < step && steps[guess] >= step {
        return guess
      }
      var lo = from
      var hi = n
      var bound = 1
      while lo + bound < hi && steps[lo + bound] < step { bound *= 2 }
      hi = Swift.min(hi, lo + bound + 1)
      lo = lo + bound / 2
      while lo < hi {
        let mid = (lo + hi) / 2
        if steps[mid] < step { lo = mid + 1 } else { hi = mid }
      }
      return lo
    }
  }

  /// Bytes held beyond the value itself.
  public var allocatedBytes: Int {
    (explicit?.capacity ?? 0) * MemoryLayout<Int>.stride
  }

  public static func == (a: StepColumn, b: StepColumn) -> Bool {
    guard a.count == b.count else { return false }
    if a.isRegular && b.isRegular {
      return a.count == 0 || (a.start == b.start && (a.count == 1 || a.stride == b.stride))
    }
    return a.elementsEqual(b)
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(count)
    if let first { hasher.combine(first) }
    if let last { hasher.combine(last) }
  }

  private mutating func materialize(appending step: Int) {
    var all = [Int]()
    all.reserveCapacity(regularCount + 1)
    for i in 0..<regularCount { all.append(start &+ i &* stride) }
    all.append(step)
    explicit = all
  }
}

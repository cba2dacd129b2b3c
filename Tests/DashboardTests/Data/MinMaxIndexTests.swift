import RunLog
import Testing

@testable import Dashboard

@Suite struct MinMaxIndexTests {
  /// A deterministic pseudo-random sequence (xorshift), so failures reproduce.
  struct Rng {
    var s: UInt64
    mutating func next() -> UInt64 {
      s ^= s << 13
      s ^= s >> 7
      s ^= s << 17
      return s
    }
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
  }

  static func brute(_ v: [Float], _ r: Range<Int>) -> (Double, Double)? {
    let f = v[r].filter(\.isFinite)
    guard let lo = f.min(), let hi = f.max() else { return nil }
    return (Double(lo), Double(hi))
  }

  @Test func rangeQueriesMatchABruteForceScan() {
    var rng = Rng(s: 42)
    var values: [Float] = (0..<5000).map { _ in Float(rng.int(20_000)) / 7 - 1000 }
    for i in stride(from: 0, to: values.count, by: 97) { values[i] = .nan }
    values[300] = .infinity
    let index = MinMaxIndex(values)
    for _ in 0..<500 {
      let a = rng.int(values.count)
      let b = a + rng.int(values.count - a + 1)
      let got = index.range(of: values, a..<b)
      let want = Self.brute(values, a..<b)
      #expect(got?.min == want?.0 && got?.max == want?.1, "range \(a)..<\(b)")
    }
  }

  @Test func incrementalUpdatesEqualARebuild() {
    var rng = Rng(s: 7)
    var values: [Float] = []
    var index = MinMaxIndex()
    for _ in 0..<60 {
      // Append a batch, sometimes after cutting the tail (a superseded resume).
      if !values.isEmpty && rng.int(4) == 0 { values.removeLast(rng.int(min(values.count, 50))) }
      let from = values.count
      values += (0..<rng.int(300)).map { _ in Float(rng.int(1000)) }
      index.update(values, from: from)
      #expect(index == MinMaxIndex(values))
    }
  }

  @Test func plotSeriesSupersedesResumedSteps() {
    var p = PlotSeries()
    p.append(steps: [0, 1, 2, 3], values: [5, 6, 7, 8])
    p.append(steps: [2, 3, 4], values: [1, 1, 1])
    #expect(p.points.steps == [0, 1, 2, 3, 4])
    #expect(p.points.values == [5, 6, 1, 1, 1])
    #expect(p.valueRange(in: 0...4)?.max == 6)
    #expect(p.valueRange(in: 2...4)?.max == 1)
    #expect(p.lastFinite(atOrBefore: 1) == 6)
  }
}

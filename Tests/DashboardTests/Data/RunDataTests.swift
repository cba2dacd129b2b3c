import RunLog
import Testing

@testable import Dashboard

@Suite struct RunDataTests {
  @Test func mergingDeltasEqualsMergingTheWhole() {
    var whole = RunData()
    whole.merge(Fixtures.store(steps: 60), beta: 0.1)
    var parts = RunData()
    parts.merge(Fixtures.store(steps: 25), beta: 0.1)
    parts.merge(Fixtures.store(steps: 35, from: 25), beta: 0.1)
    #expect(parts.series == whole.series)
    #expect(parts.chosenLogRatio == whole.chosenLogRatio)
    #expect(parts.times == whole.times)
    #expect(parts.keys[.train]?.first == MetricKey.loss)
    #expect(parts.lastStep == 59)
  }

  @Test func chosenLogRatioIsPolicyMinusReference() {
    var d = RunData()
    d.merge(Fixtures.store(steps: 11, drift: -0.5), beta: 0.1)
    let r = d.chosenLogRatio[.train]
    #expect(r?.points.values.last == -5)
    #expect(r?.points.steps == Array(0...10))
    #expect(!d.logRatioFromRewards)
  }

  @Test func withoutReferencesTheLogRatioIsDerivedFromRewards() {
    var d = RunData()
    d.merge(Fixtures.store(steps: 11, beta: 0.5, drift: -0.5, refs: false), beta: 0.5)
    #expect(d.logRatioFromRewards)
    let last = d.chosenLogRatio[.train]?.points.last ?? 0
    #expect(abs(last - -5) < 1e-9)
    var s = Fixtures.state([(Fixtures.manifest("x"), Fixtures.store(steps: 11, refs: false))])
    _ = update(&s, .resized(width: 120, height: 40))
    #expect(ChartKind.chosenLogRatio.model(s).notes.contains("derived: rewards/beta"))
  }

  @Test func smoothingIsAnEMAAndExtendsIncrementally() {
    var full = RunData()
    full.setSmoothing(0.5)
    full.merge(Fixtures.store(steps: 40), beta: 0.1)
    var inc = RunData()
    inc.setSmoothing(0.5)
    inc.merge(Fixtures.store(steps: 15), beta: 0.1)
    inc.merge(Fixtures.store(steps: 25, from: 15), beta: 0.1)
    #expect(inc.smoothed == full.smoothed)
    #expect(inc.smoothedLogRatio == full.smoothedLogRatio)
    let ema = RunData.ema(PlotPoints(steps: [0, 1, 2], values: [0, 4, .nan]), weight: 0.5)
    #expect(ema.values == [0, 2, 2])
    #expect(ema.last == 2)
    full.setSmoothing(nil)
    #expect(full.smoothed.isEmpty)
  }

  @Test func seriesStoreMergeAppendsDeltas() {
    var a = Fixtures.store(steps: 10)
    a.merge(Fixtures.store(steps: 10, from: 10))
    let b = Fixtures.store(steps: 20)
    #expect(a.series(MetricKey.loss) == b.series(MetricKey.loss))
    #expect(a.times(.eval) == b.times(.eval))
    #expect(a.recordCount == b.recordCount)
  }

  @Test func theLogRatioIsTakenBeforeNarrowing() {
    // Two log-probs equal in 32 bits whose difference is not zero: the ratio
    // must come from the logged 64-bit values, not the stored floats.
    var store = SeriesStore()
    let chosen = -123.456_789_1
    let ref = -123.456_789_0
    #expect(Float(chosen) == Float(ref))
    store.append(
      MetricRecord(
        step: 0, split: .train,
        values: [(MetricKey.logpsChosen, chosen), (MetricKey.logpsRefChosen, ref)]))
    var d = RunData()
    d.merge(store, beta: 0.1)
    let ratio = d.chosenLogRatio[.train]?.points.values.first
    #expect(ratio == Float(chosen - ref))
    #expect(ratio != 0)
  }

  @Test func pointsAreStoredInFourBytesAndTheLastValueExactly() {
    var p = PlotPoints()
    p.append(step: 0, value: 0.1)
    p.append(step: 1, value: 1e300)
    p.append(step: 2, value: -1e300)
    p.append(step: 3, value: .nan)
    p.append(step: 4, value: 1.000_000_000_1)
    #expect(p.values[0] == Float(0.1))
    // Beyond the float range a finite value stays finite (clamped), never infinite.
    #expect(p.values[1] == .greatestFiniteMagnitude)
    #expect(p.values[2] == -.greatestFiniteMagnitude)
    #expect(p.values[3].isNaN)
    #expect(p.last == 1.000_000_000_1)
    #expect(PlotSeries(p).lastFinite() == 1.000_000_000_1)
    #expect(PlotSeries(p).lastFinite(atOrBefore: 0) == Double(Float(0.1)))
    // A resumed run's earlier step supersedes the tail, and `last` follows.
    p.append(step: 2, value: 7)
    #expect(p.steps == [0, 1, 2])
    #expect(p.last == 7)
    var big = PlotPoints()
    big.reserve(1000)
    for i in 0..<1000 { big.append(step: i, value: Double(i)) }
    #expect(big.values.capacity * MemoryLayout<Float>.stride < 1000 * 5)
  }
}

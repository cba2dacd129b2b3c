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
    #expect(r?.series.values.last == -5)
    #expect(r?.series.steps == Array(0...10))
    #expect(!d.logRatioFromRewards)
  }

  @Test func withoutReferencesTheLogRatioIsDerivedFromRewards() {
    var d = RunData()
    d.merge(Fixtures.store(steps: 11, beta: 0.5, drift: -0.5, refs: false), beta: 0.5)
    #expect(d.logRatioFromRewards)
    let last = d.chosenLogRatio[.train]?.series.values.last ?? 0
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
    let ema = RunData.ema(Series(steps: [0, 1, 2], values: [0, 4, .nan]), weight: 0.5)
    #expect(ema.values == [0, 2, 2])
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
}

import RunLog
import Testing

@testable import Dashboard

@Suite struct ReplayClockTests {
  /// Steps 0, 10, ..., 100 recorded 1 s apart, except a 5 s gap before step 50.
  static let timeline = ReplayTimeline(
    steps: Array(stride(from: 0, through: 100, by: 10)),
    times: [0, 1, 2, 3, 4, 9, 10, 11, 12, 13, 14].map { 1000 + Double($0) })

  @Test func recordedTimePacingFollowsTheRunsClock() {
    var c = ReplayClock()
    c.seek(to: 0, Self.timeline)
    c.tick(now: 0, Self.timeline)  // first tick only starts timing
    #expect(c.step == 0)
    c.tick(now: 1, Self.timeline)
    #expect(c.step == 10)
    c.tick(now: 4, Self.timeline)  // gap capped at 1 s per tick
    #expect(c.step == 20)
    for t in 5...10 { c.tick(now: Double(t), Self.timeline) }
    #expect(c.step == 40)  // the 5 s gap before step 50 replays as 5 s
    c.tick(now: 11, Self.timeline)
    #expect(c.step == 50)
  }

  @Test func speedMultipliesAndReplayStopsAtTheEnd() {
    var c = ReplayClock()
    for _ in 0..<2 { c.faster() }
    #expect(c.speed == 5)
    c.tick(now: 0, Self.timeline)
    c.tick(now: 1, Self.timeline)
    #expect(c.step == 40)  // 5 recorded seconds: 1000 → 1005
    c.tick(now: 2, Self.timeline)
    #expect(c.step == 60)
    c.tick(now: 3, Self.timeline)
    #expect(c.step == 100)
    #expect(!c.playing)
    c.togglePause(Self.timeline)  // resuming at the end starts over
    #expect(c.playing && c.step == 0)
    for _ in 0..<20 { c.faster() }
    #expect(c.speed == 1000)
    for _ in 0..<20 { c.slower() }
    #expect(c.speed == 1)
  }

  @Test func stepPacingWithoutRecordedTimes() {
    let t = ReplayTimeline(steps: Array(0...1000))
    #expect(!t.hasTimes)
    var c = ReplayClock()
    c.stepsPerSecond = 10
    c.tick(now: 100, t)
    c.tick(now: 100.5, t)
    #expect(c.step == 5)
    c.pause()
    c.tick(now: 101, t)
    #expect(c.step == 5)
  }

  @Test func singleStepsAndSeeks() {
    var c = ReplayClock()
    c.seek(to: 30, Self.timeline)
    c.stepForward(Self.timeline)
    #expect(c.step == 40 && !c.playing)
    c.stepBack(Self.timeline)
    c.stepBack(Self.timeline)
    #expect(c.step == 20)
    c.seek(to: 35, Self.timeline)
    c.stepBack(Self.timeline)
    #expect(c.step == 30)
    c.seek(to: 5000, Self.timeline)
    #expect(c.step == 100)
    c.stepForward(Self.timeline)
    #expect(c.step == 100)
    c.seek(to: -5, Self.timeline)
    #expect(c.step == 0)
    c.stepBack(Self.timeline)
    #expect(c.step == 0)
  }

  @Test func replayDrivenByTicksThroughUpdate() {
    var s = Fixtures.twoRuns()
    _ = update(&s, .key(.char("r")))
    #expect(s.mode == .replay && s.replay.step == 0)
    _ = update(&s, .tick(now: 2_000_000_000))
    _ = update(&s, .tick(now: 2_000_000_001))
    // Fixture steps are 2 s apart: one second at 1x is not yet a step.
    #expect(s.replay.step == 0)
    _ = update(&s, .key(.char(">")))
    _ = update(&s, .tick(now: 2_000_000_002))
    #expect(s.replay.step == 1)
    _ = update(&s, .key(.char("t")))  // pace by steps: 10 steps/s at 1x, now 2x
    _ = update(&s, .tick(now: 2_000_000_003))
    #expect(s.replay.step == 21)
    _ = update(&s, .key(.end))
    #expect(s.replay.step == 99)
    _ = update(&s, .key(.home))
    #expect(s.replay.step == 0)
    _ = update(&s, .key(.char(".")))
    #expect(s.replay.step == 1 && !s.replay.playing)
    _ = update(&s, .key(.char(" ")))
    #expect(s.replay.playing)
    _ = update(&s, .key(.char("r")))
    #expect(s.mode == .live)
  }
}

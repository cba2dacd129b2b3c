/// Plays a run back in step order, driven only by `.tick(now:)` times.
///
/// Paced by the run's recorded wall-clock time (a step that took 2 s takes
/// 2 s at 1×) or by steps (`stepsPerSecond` at 1×), at 1×–1000×. Holds no
/// clock of its own, so tests drive it with made-up times.
public struct ReplayClock: Sendable, Equatable {
  /// How replay advances.
  public enum Pacing: Sendable, Equatable {
    /// By the run's recorded times (falls back to steps when it has none).
    case recordedTime
    /// A fixed number of steps per second.
    case steps
  }

  /// The speeds `faster`/`slower` move through.
  public static let speeds: [Double] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]

  /// The current step.
  public private(set) var step = 0
  /// Whether time moves the position.
  public private(set) var playing = true
  /// Speed multiplier (1…1000).
  public private(set) var speed: Double = 1
  /// How time maps to steps.
  public var pacing: Pacing = .recordedTime
  /// Steps per second at 1× under step pacing.
  public var stepsPerSecond: Double = 10
  /// Replay time not yet turned into steps, and the virtual recorded time.
  private var carry = 0.0
  private var virtualTime: Double?
  private var lastTick: Double?

  /// A clock at step 0, playing at 1×.
  public init() {}

  /// Longest real gap one tick may cover: after a suspended laptop or a
  /// stalled SSH session, replay resumes instead of jumping to the end.
  static let maxTickGap = 1.0

  /// Advances by the time since the previous tick; stops at the end.
  public mutating func tick(now: Double, _ timeline: ReplayTimeline) {
    defer { lastTick = now }
    guard playing, let last = lastTick, now > last else { return }
    let dt = min(now - last, Self.maxTickGap) * speed
    if pacing == .recordedTime && timeline.hasTimes {
      let i = timeline.index(atOrBefore: step)
      let base = virtualTime ?? timeline.times[i]
      virtualTime = base + dt
      step = max(step, timeline.step(atTime: base + dt))
    } else {
      carry += dt * stepsPerSecond
      let whole = carry.rounded(.down)
      carry -= whole
      step += Int(whole)
    }
    if step >= timeline.lastStep {
      step = timeline.lastStep
      playing = false
    }
  }

  /// Pauses or resumes; resuming at the end starts over.
  public mutating func togglePause(_ timeline: ReplayTimeline) {
    if !playing && step >= timeline.lastStep { seek(to: timeline.firstStep, timeline) }
    playing.toggle()
  }

  /// Pauses.
  public mutating func pause() { playing = false }

  /// Moves to the next logged step and pauses.
  public mutating func stepForward(_ timeline: ReplayTimeline) {
    playing = false
    let i = timeline.index(atOrBefore: step)
    let next = timeline.steps.indices.contains(i + 1) ? timeline.steps[i + 1] : timeline.lastStep
    seek(to: max(next, step < timeline.firstStep ? timeline.firstStep : next), timeline)
  }

  /// Moves to the previous logged step and pauses.
  public mutating func stepBack(_ timeline: ReplayTimeline) {
    playing = false
    let i = timeline.index(atOrBefore: step)
    let atEntry = timeline.steps.indices.contains(i) && timeline.steps[i] == step
    let prev =
      atEntry
      ? (i > 0 ? timeline.steps[i - 1] : timeline.firstStep)
      : timeline.steps.indices
        .contains(i) ? timeline.steps[i] : timeline.firstStep
    seek(to: prev, timeline)
  }

  /// Jumps to `step` (clamped to the timeline).
  public mutating func seek(to target: Int, _ timeline: ReplayTimeline) {
    step = min(max(target, timeline.firstStep), max(timeline.firstStep, timeline.lastStep))
    carry = 0
    virtualTime = nil
  }

  /// Next speed up / down the ladder.
  public mutating func faster() {
    speed = Self.speeds.first { $0 > speed } ?? speed
  }

  /// Next speed down the ladder.
  public mutating func slower() {
    speed = Self.speeds.last { $0 < speed } ?? speed
  }

  /// Forgets the last tick (after a pause the next tick only starts timing).
  public mutating func resetTickReference() { lastTick = nil }
}

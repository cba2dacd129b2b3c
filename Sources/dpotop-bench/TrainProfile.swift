import Foundation
import KernelSupport

/// The table `dpotop-bench train --profile` prints: where a step's wall time
/// went, per kind of work, from the trainer's section timers.
enum TrainProfile {
  /// Starts timing sections (from zero).
  static func start() {
    StepProfile.reset()
    StepProfile.enabled = true
  }

  /// Stops timing (the sums stay for `printTable`).
  static func stop() { StepProfile.enabled = false }

  /// Prints the table of the sums for `label`.
  static func printTable(_ label: String) {
    let steps = max(StepProfile.steps, 1)
    let total = Double(StepProfile.stepNanos) / 1e6 / Double(steps)
    print("\nprofile of a \(label) step (\(StepProfile.steps) steps; ms per step, share of step):")
    var timed = 0.0
    for section in StepProfile.Section.allCases {
      let ms = Double(StepProfile.nanos[section.rawValue]) / 1e6 / Double(steps)
      timed += ms
      guard ms >= 0.005 else { continue }
      line(section.label, ms, total)
    }
    line("untimed (batching, loop)", max(0, total - timed), total)
    line("step total", total, total)
    let wait = Double(StepProfile.threadWait) / 1e6 / Double(steps)
    print(
      String(
        format: "  of which threads waiting for the slowest chunk: %.2f ms (%.1f%%)", wait,
        100 * wait / max(total, 1e-9)))
  }

  private static func line(_ label: String, _ ms: Double, _ total: Double) {
    print(
      "  " + label.padding(toLength: 36, withPad: " ", startingAt: 0)
        + String(format: "%8.2f ms %6.1f%%", ms, 100 * ms / max(total, 1e-9)))
  }
}

import Foundation

/// How long an end-to-end wait may take before the test fails, by what it
/// waits for. A wait ends as soon as its condition holds, so a long deadline
/// costs a passing test nothing: it only decides how long a slow or busy
/// machine (CI beside a CPU hog, a sanitizer build, a CPU without AVX-512)
/// gets before the test fails naming what it waited for. Sized in minutes,
/// not in what the machine the test was written on needed.
enum Deadline {
  /// The dashboard redrawing after a key or an append, a shell prompt, a
  /// copy over ssh catching up: one or two polls on an idle machine.
  static let screen: Double = 120
  /// A process starting or stopping, a run reaching its first steps,
  /// sshd listening, a dropped link noticed.
  static let process: Double = 300
  /// Training runs (a few dozen to a few hundred steps) finishing.
  static let training: Double = 1800
}

// The one wait loop, `waitUntil`, is in Tests/RunFixtures (shared with LiveTests).

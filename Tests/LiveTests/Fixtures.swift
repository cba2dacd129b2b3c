import RunFixtures

/// The shared run fixtures (Tests/RunFixtures) under the name the tests use.
typealias Fixtures = RunFixtures

/// How long a wait on the watcher's thread may take before the test fails:
/// generous, since a wait ends as soon as its condition holds (as the
/// end-to-end tests' `Deadline`).
enum Deadline {
  /// One or two polls on an idle machine; minutes on a busy one.
  static let screen: Double = 120
}

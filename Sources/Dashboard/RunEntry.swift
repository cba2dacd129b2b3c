import RunLog

/// One run as the dashboard knows it: what the watcher reported about it.
public struct RunEntry: Sendable, Equatable {
  /// The run's path (its identity).
  public var id: String
  /// The source kind (`dpotop`, `trl`, ...).
  public var kind: String
  /// The run's manifest as last read.
  public var manifest: RunManifest
  /// Its metrics.
  public var data = RunData()
  /// Bad lines so far, and the most recent ones.
  public var badCount = 0
  public var recentBad: [BadLine] = []
  /// Whether its trainer process lives (nil: nothing to check).
  public var alive: Bool?
  /// Why it could not be read, when it could not.
  public var error: String?
  /// Notes from the importer (derived series and the like).
  public var notes: [String] = []
  /// The last lines of its trainer log, when asked for.
  public var logTail: [String] = []

  /// A run first seen with `manifest`.
  public init(id: String, kind: String, manifest: RunManifest) {
    self.id = id
    self.kind = kind
    self.manifest = manifest
  }

  /// The status to show: `stopped` when the manifest says running but the pid is gone.
  public var status: RunStatus {
    if manifest.status == .running && alive == false { return .stopped }
    return manifest.status
  }

  /// The latest finite training value of `key` (at or before `step` when given).
  public func latest(_ key: String, _ split: Split = .train, asOf step: Int? = nil) -> Double? {
    data.series[SeriesID(key, split)]?.lastFinite(atOrBefore: step ?? Int.max)
  }

  /// True when the chosen completions' log-prob has fallen below the
  /// reference's (the DPO failure mode): `logps/chosen < logps/ref_chosen`,
  /// or `rewards/chosen < 0` when the run logs no reference log-probs.
  public func chosenBelowReference(asOf step: Int? = nil) -> Bool {
    if let c = latest(MetricKey.logpsChosen, asOf: step),
      let r = latest(MetricKey.logpsRefChosen, asOf: step)
    {
      return c < r
    }
    if let rc = latest(MetricKey.rewardsChosen, asOf: step) { return rc < 0 }
    return false
  }

  /// The latest state of the run: see `chosenBelowReference(asOf:)`.
  public var chosenBelowReference: Bool { chosenBelowReference() }

  /// The highest step logged.
  public var step: Int? { data.lastStep }
}

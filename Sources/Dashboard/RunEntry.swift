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
  /// Its probes (`probes.jsonl`), once the token view asked for them.
  public var probes: ProbeLog?
  /// Its Slurm job, when it belongs to a Slurm sweep.
  public var slurmJob: SlurmJob?

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

  /// How far (nats) the chosen log-prob may sit below the reference's before
  /// the run is flagged. DPOP holds it within a few tenths of a nat of the
  /// reference (batch means are noisy); DPO's failure mode drops it by nats.
  public static let warningMarginNats = 0.5

  /// True when the chosen completions' log-prob has fallen below the
  /// reference's by more than `warningMarginNats` (the DPO failure mode):
  /// `logps/chosen − logps/ref_chosen`, or `rewards/chosen ÷ β` when the run
  /// logs no reference log-probs (TRL), or `rewards/chosen < 0` without a β.
  public func chosenBelowReference(asOf step: Int? = nil) -> Bool {
    let margin = Self.warningMarginNats
    if let c = latest(MetricKey.logpsChosen, asOf: step),
      let r = latest(MetricKey.logpsRefChosen, asOf: step)
    {
      return c - r < -margin
    }
    if let rc = latest(MetricKey.rewardsChosen, asOf: step) {
      if let beta = manifest.beta, beta > 0 { return rc / beta < -margin }
      return rc < 0
    }
    return false
  }

  /// The latest state of the run: see `chosenBelowReference(asOf:)`.
  public var chosenBelowReference: Bool { chosenBelowReference() }

  /// The highest step logged.
  public var step: Int? { data.lastStep }
}

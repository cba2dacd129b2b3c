/// The Slurm job of a run in a Slurm sweep, as the app last learned it from
/// `sweep.json` (the id) and `squeue` (the state).
public struct SlurmJob: Sendable, Equatable {
  /// The job id (`1234`).
  public var id: String
  /// `PENDING`, `RUNNING`, `COMPLETING`, ... while the job is in the queue;
  /// nil once it left (the run's manifest tells the outcome) or when the
  /// queue could not be asked.
  public var state: String?

  /// A job `id`, in `state` when it is queued.
  public init(id: String, state: String? = nil) {
    self.id = id
    self.state = state
  }

  /// Slurm's own short code for the state (`PD`, `R`, `CG`), as `squeue` shows it.
  public var shortState: String? {
    guard let state else { return nil }
    switch state {
    case "PENDING": return "PD"
    case "RUNNING": return "R"
    case "COMPLETING": return "CG"
    case "CONFIGURING": return "CF"
    case "SUSPENDED": return "S"
    case "REQUEUED": return "RQ"
    default: return String(state.prefix(2))
    }
  }

  /// `1234 PD`: the id and, while queued, the short state.
  public var compact: String { shortState.map { "\(id) \($0)" } ?? id }
}

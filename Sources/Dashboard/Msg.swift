import RunLog

/// Everything that can happen to the dashboard, as a value.
///
/// The app loop turns terminal input, timers and the run watcher's findings
/// into these and feeds them to `update`; nothing else changes the state.
public enum Msg: Sendable {
  /// A key was pressed.
  case key(Key)
  /// The mouse was clicked, dragged or wheeled (`MouseEvent`).
  case mouse(MouseEvent)
  /// Time passed (seconds since the Unix epoch); drives replay and "stopped" checks.
  case tick(now: Double)
  /// The terminal is now `width × height` cells.
  case resized(width: Int, height: Int)
  /// A run was found (or its manifest changed): `id` is its path.
  case runUpdated(id: String, kind: String, manifest: RunManifest)
  /// New metrics for a run: `delta` holds only what is new since the last
  /// message for `id`, unless `reset` says the file was replaced and `delta`
  /// is everything from the start.
  case metrics(id: String, delta: SeriesStore, reset: Bool, badCount: Int, recentBad: [BadLine])
  /// Whether the run's trainer process is alive (nil when there is no pid to check).
  case liveness(id: String, alive: Bool?)
  /// The last lines of the run's trainer log.
  case logTail(id: String, lines: [String])
  /// What the run's `probes.jsonl` holds (everything read so far).
  case probes(id: String, log: ProbeLog)
  /// The run could not be read (deleted, replaced by a directory, ...).
  case runError(id: String, message: String)
  /// The run disappeared.
  case runRemoved(id: String)
  /// Notes about how metrics were obtained (derived series and the like).
  case runNotes(id: String, notes: [String])
  /// The Slurm jobs of one Slurm sweep's runs, by run id (the run's path):
  /// ids from `sweep.json`, states from `squeue`.
  case slurmJobs([String: SlurmJob])
  /// Replay the chart runs from `step`, paused (`dpotop render --at STEP`, a seek prompt).
  case seek(step: Int)
  /// The sweep asked for by `.launchSweep` started, writing under `path`.
  case sweepLaunched(path: String)
  /// The sweep could not be started (directory exists, ...): shown in the form.
  case sweepLaunchFailed(message: String)
  /// Something the app loop wants the user to read (cancel sent, resume
  /// refused, ...): shown in the status line until the next key.
  case notice(String)
  /// The link to a remote host dropped (`problem`: what the status line
  /// says, with the time of the last data) or came back (nil).
  case connection(host: String, problem: String?)
}

import Sweeps

/// Something `update` asks the outside world to do; the app loop performs it.
///
/// `update` itself never does I/O, so tests can assert on returned effects.
public enum Effect: Sendable, Equatable {
  /// Leave the dashboard (restoring the terminal).
  case quit
  /// Switch to the named theme.
  case setTheme(String)
  /// Read a run's trainer log tail now (the run-detail screen opened).
  case requestLogTail(id: String)
  /// Read what a run's `probes.jsonl` gained and answer with `.probes` (the
  /// token view is open on it: asked on opening and every tick after).
  case requestProbes(id: String)
  /// Create this sweep and hand it to its backend (a detached supervisor,
  /// or Slurm); the `n` form was submitted. Answer with `.sweepLaunched`
  /// or `.sweepLaunchFailed`.
  case launchSweep(SweepLaunch)
  /// Ask these runs' trainers to stop (finish the step, checkpoint, mark
  /// cancelled); the user confirmed with `y`.
  case cancelRuns(ids: [String])
  /// Resume these stopped or cancelled runs from their last checkpoint.
  case resumeRuns(ids: [String])
  /// Write these figures (the screen's charts as SVG, `e`) and answer with
  /// a `.notice` saying where they are.
  case writeFigures([FigureFile])
}

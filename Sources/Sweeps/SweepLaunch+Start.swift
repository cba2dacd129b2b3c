import Foundation
import RunLog

/// What `SweepLaunch.start` did.
public enum SweepStarted: Sendable, Equatable {
  /// Every run was handed to Slurm; the manifest holds each `job:ID` handle.
  case submitted(SweepManifest)
  /// A detached supervisor drives the sweep.
  case detached(SweepManifest, supervisor: Int32)
  /// The sweep exists on disk; the caller drives it (`dpotop sweep` in the foreground).
  case created(SweepManifest)
}

extension SweepLaunch {
  /// Creates the sweep on disk and hands it to its backend: Slurm gets one
  /// job per run; otherwise a detached supervisor starts when `detach`, else
  /// the caller supervises. The one path `dpotop sweep` and the dashboard's
  /// form both take.
  ///
  /// When `sbatch` fails part way, the runs it never took are marked failed
  /// with its message (the ones already queued keep running), so the sweep
  /// directory never holds runs that wait forever.
  public func start(
    executable: String, detach: Bool,
    run runCommand: ([String]) throws(SweepError) -> CommandRunner.Output = CommandRunner.run
  ) throws(SweepError) -> SweepStarted {
    try validate()
    var manifest = try SweepCreator.create(
      spec, backend: backend.rawValue, command: command,
      slurmArgs: backend == .slurm ? slurmArgs : nil)
    let dir = spec.out
    switch backend {
    case .slurm:
      do {
        try SlurmBackend.submitAll(&manifest, dir: dir, executable: executable, run: runCommand)
      } catch {
        let submitted = SlurmBackend.abandonUnsubmitted(dir: dir, reason: error.message)
        throw SweepError(
          field: error.field,
          "\(error.message); \(submitted) of \(manifest.runs.count) runs were submitted, "
            + "the rest are marked failed in \(dir)",
          hint: error.hint)
      }
      return .submitted(manifest)
    case .local, .command:
      guard detach else { return .created(manifest) }
      let pid = try RunControl.launchSupervisor(dir, executable: executable)
      return .detached(manifest, supervisor: pid)
    }
  }
}

extension SlurmBackend {
  /// Marks every run of the sweep in `dir` that has no job as failed with
  /// `reason`; returns how many runs do have a job.
  @discardableResult
  static func abandonUnsubmitted(dir: String, reason: String) -> Int {
    guard var sweep = try? SweepManifest.read(from: dir) else { return 0 }
    var submitted = 0
    for run in sweep.runs {
      if run.handle != nil {
        submitted += 1
        continue
      }
      let runDir = RunDirectory(path: dir + "/" + run.name)
      guard var m = try? runDir.readManifest(), m.status == .queued else { continue }
      m.status = .failed
      m.error = "not submitted to Slurm: \(reason)"
      m.updatedAt = Date().timeIntervalSince1970
      try? runDir.writeManifest(m)
    }
    if submitted == 0 {
      // Nothing will ever run: the sweep is over, not running.
      sweep.status = "finished"
      try? sweep.write(to: dir)
    }
    return submitted
  }
}

import Dashboard
import Foundation
import RunLog
import Sweeps

/// Keeps the dashboard's view of Slurm sweeps in step with the queue, and is
/// the live layer's one owner of the rule "a run whose job left the queue
/// unfinished is marked failed (lost)".
///
/// Who writes `run.json`: the trainer (as it runs and as it exits); the
/// launcher (`SweepLaunch`: runs created queued, runs sbatch never took
/// marked failed); and, for Slurm runs, `SlurmBackend.reconcile` (Sweeps),
/// which this type calls: queued → running when the job of a run under a
/// foreign trainer's command runs, and queued or running → failed ("lost:
/// …", with the job output's tail), or the exit status's outcome for a
/// foreign trainer, when the job left the queue. It is also called by `dpotop
/// sweep --status DIR`.
///
/// A viewer rewriting what it watches is deliberate: a job killed by the
/// scheduler (time limit, node failure, an outside `scancel`) never gets to
/// write its run's final state, and no supervisor process outlives an
/// sbatch submission, so only a program asking `squeue` can notice. The
/// writes are bounded: local Slurm sweeps only (never a remote copy), only
/// runs still queued or running whose job is gone, atomically
/// (`RunDirectory.writeManifest`), one reconcile at a time, every
/// `interval` seconds while a sweep runs. The watcher's next poll shows the
/// change as it shows any other write. See docs/sweeps.md.
public final class SlurmReconciler: @unchecked Sendable {
  // @unchecked: `reportedJobs` is touched only on `queue`; `busy` and
  // `stopped` only under `lock`; the rest is immutable.

  /// Seconds between `squeue` calls for the Slurm sweeps on screen.
  public static let interval = 5.0

  /// Where Slurm is asked: `squeue` can block for seconds (9 s when the
  /// controller is down), which must never stall the polling of runs.
  private let queue = DispatchQueue(label: "dpotop.run-watcher.slurm")
  private let lock = NSLock()
  /// A reconcile is queued or running: never more than one.
  private var busy = false
  private var stopped = false
  /// The jobs last reported per Slurm sweep directory, so an unchanged
  /// queue sends nothing.
  private var reportedJobs: [String: [String: SlurmJob]] = [:]
  private let send: @Sendable ([Msg]) -> Void

  /// A reconciler reporting `.slurmJobs` through `send` (from its own queue).
  public init(send: @escaping @Sendable ([Msg]) -> Void) {
    self.send = send
  }

  /// Sends nothing more; a reconcile under way stops after its sweep.
  public func stop() { lock.withLock { stopped = true } }

  private var isStopped: Bool { lock.withLock { stopped } }

  /// Starts a reconcile of the Slurm sweeps holding the runs `ids` (local
  /// runs only) unless one is still running. Called after a poll's messages
  /// were sent, so the runs the jobs belong to reach the dashboard first.
  public func schedule(runIDs ids: [String]) {
    let parents = Set(ids.map { ($0 as NSString).deletingLastPathComponent })
    let dirs = parents.sorted().filter {
      FileManager.default.fileExists(atPath: $0 + "/" + SweepManifest.fileName)
    }
    guard !dirs.isEmpty else { return }
    let claimed = lock.withLock {
      if busy || stopped { return false }
      busy = true
      return true
    }
    guard claimed else { return }
    queue.async { [self] in
      for dir in dirs where !isStopped { reconcile(dir) }
      lock.withLock { busy = false }
    }
  }

  /// Reports the job ids of the Slurm sweep in `dir` (from `sweep.json`, at
  /// once), then asks Slurm: a job that left the queue without finishing its
  /// run gets the run marked lost (failed, with the job output's tail),
  /// which the next poll shows; the queue states follow as a second report.
  private func reconcile(_ dir: String) {
    guard let sweep = try? SweepManifest.read(from: dir), sweep.backend == "slurm" else { return }
    let idsOnly = Self.jobs(of: sweep, dir: dir, states: [:])
    guard sweep.status == "running" else {
      // Over: no job is queued any more, so no state is shown (not even a
      // last COMPLETING); unchanged ids send nothing.
      report(dir, idsOnly, onlyIfNew: false)
      return
    }
    report(dir, idsOnly, onlyIfNew: true)
    // squeue unreachable: the ids stay shown, without states.
    let states = (try? SlurmBackend.reconcile(dir: dir)) ?? [:]
    let now = (try? SweepManifest.read(from: dir)) ?? sweep
    report(dir, Self.jobs(of: now, dir: dir, states: states), onlyIfNew: false)
  }

  /// Sends `jobs` unless they are what was last sent for `dir` (or, with
  /// `onlyIfNew`, unless anything was sent for `dir` before).
  private func report(_ dir: String, _ jobs: [String: SlurmJob], onlyIfNew: Bool) {
    if let last = reportedJobs[dir], onlyIfNew || last == jobs { return }
    reportedJobs[dir] = jobs
    if !isStopped { send([.slurmJobs(jobs)]) }
  }

  /// Each run's job, keyed by run id (`dir/name`, as discovery names runs).
  public static func jobs(
    of sweep: SweepManifest, dir: String, states: [String: SlurmBackend.JobState]
  ) -> [String: SlurmJob] {
    var jobs: [String: SlurmJob] = [:]
    for run in sweep.runs {
      guard let handle = run.handle, handle.hasPrefix("job:") else { continue }
      var job = SlurmJob(id: String(handle.dropFirst(4)))
      if case .queued(let state)? = states[run.name] { job.state = state }
      jobs[dir + "/" + run.name] = job
    }
    return jobs
  }
}

import Foundation
import Processes
import RunLog

/// Cancels and resumes runs and sweeps — what the dashboard's keys and
/// `dpotop cancel` / `dpotop resume` do. Every signal goes only to a process
/// proven (by `ProcessProof`) to be the one that owns the run or sweep.
public enum RunControl {
  /// Cancels a run or, when `path` holds `sweep.json`, a whole sweep.
  /// Returns what was done, for the user.
  public static func cancel(_ path: String) throws(SweepError) -> String {
    if FileManager.default.fileExists(atPath: path + "/" + SweepManifest.fileName) {
      return try cancelSweep(path)
    }
    return try cancelRun(path)
  }

  /// Cancels one run: a queued run is marked cancelled; a running one gets
  /// SIGTERM after its pid is proven to be its trainer.
  public static func cancelRun(_ path: String) throws(SweepError) -> String {
    let dir = RunDirectory(path: path)
    var m: RunManifest
    do {
      m = try dir.readManifest()
    } catch {
      throw SweepError(error.description)
    }
    if let (sweep, run) = slurmRun(path), let handle = run.handle,
      m.status == .queued || m.status == .running
    {
      let line = try SlurmBackend.cancel(runName: run.name, handle: handle)
      if m.status == .queued {
        // The job never started a trainer, so nobody else will record this.
        m.status = .cancelled
        m.error = "cancelled before it started (Slurm sweep \(sweep.name))"
        m.updatedAt = Date().timeIntervalSince1970
        do { try dir.writeManifest(m) } catch { throw SweepError(error.description) }
      }
      return line
    }
    switch m.status {
    case .queued:
      if let pid = m.pid,
        ProcessProof.refusal(pid: pid, lockPath: dir.lockPath, subcommand: "train") == nil
      {
        kill(pid, SIGTERM)
        return "\(path): sent SIGTERM to trainer pid \(pid)"
      }
      m.status = .cancelled
      m.error = "cancelled before it started"
      m.updatedAt = Date().timeIntervalSince1970
      do { try dir.writeManifest(m) } catch { throw SweepError(error.description) }
      return "\(path): cancelled (it had not started)"
    case .running:
      if let why = ProcessProof.refusal(pid: m.pid, lockPath: dir.lockPath, subcommand: "train") {
        throw SweepError(
          "\(path): not signalled: \(why)",
          hint: "the run is not live; 'dpotop resume \(path)' restarts it from its last checkpoint")
      }
      guard let pid = m.pid else { throw SweepError("\(path): no pid") }
      guard kill(pid, SIGTERM) == 0 else {
        throw SweepError("\(path): kill(\(pid)): \(String(cString: strerror(errno)))")
      }
      return "\(path): sent SIGTERM to trainer pid \(pid); it checkpoints and stops after this step"
    default:
      throw SweepError("\(path): the run is \(m.status.rawValue), nothing to cancel")
    }
  }

  /// The Slurm sweep and entry of the run at `path`, when it belongs to one.
  static func slurmRun(_ path: String) -> (SweepManifest, SweepManifest.Run)? {
    let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
    let parent = (trimmed as NSString).deletingLastPathComponent
    let name = (trimmed as NSString).lastPathComponent
    guard let sweep = try? SweepManifest.read(from: parent.isEmpty ? "." : parent),
      sweep.backend == "slurm", let run = sweep.runs.first(where: { $0.name == name })
    else { return nil }
    return (sweep, run)
  }

  /// Cancels a sweep: its supervisor (when proven live) gets SIGTERM and
  /// cancels its runs; without a live supervisor each run is cancelled here.
  public static func cancelSweep(_ dir: String) throws(SweepError) -> String {
    let sweep = try SweepManifest.read(from: dir)
    let lockPath = dir + "/" + SweepManifest.lockName
    if ProcessProof.refusal(pid: sweep.supervisorPid, lockPath: lockPath, subcommand: "sweep")
      == nil,
      let pid = sweep.supervisorPid
    {
      kill(pid, SIGTERM)
      return "\(dir): sent SIGTERM to the sweep supervisor pid \(pid); it cancels every run"
    }
    var lines: [String] = []
    for run in sweep.runs {
      do {
        lines.append(try cancelRun(dir + "/" + run.name))
      } catch {
        lines.append(error.message)
      }
    }
    return lines.joined(separator: "\n")
  }

  /// Restarts a stopped, cancelled or failed run from its last checkpoint as
  /// a detached trainer (`dpotop train --resume --out RUN`); returns its pid.
  public static func resume(_ path: String, executable: String) throws(SweepError) -> pid_t {
    let dir = RunDirectory(path: path)
    let m: RunManifest
    do {
      m = try dir.readManifest()
    } catch {
      throw SweepError(error.description)
    }
    if RunLock.isHeld(dir.lockPath) {
      throw SweepError("\(path): its trainer is still running; nothing to resume")
    }
    guard m.status != .finished else { throw SweepError("\(path): the run has finished") }
    let args = [executable, "train", "--resume", "--out", path]
    do {
      return try ProcessLauncher.spawn(args, logPath: dir.logPath, mode: .detached)
    } catch {
      throw SweepError(error)
    }
  }

  /// Starts the supervisor of the sweep in `dir` as a detached process
  /// (new session, output to `sweep.log`); returns its pid.
  public static func launchSupervisor(_ dir: String, executable: String) throws(SweepError) -> pid_t
  {
    do {
      return try ProcessLauncher.spawn(
        [executable, "sweep", "--supervise", dir], logPath: dir + "/" + SweepManifest.logName,
        mode: .detached)
    } catch {
      throw SweepError(error)
    }
  }
}

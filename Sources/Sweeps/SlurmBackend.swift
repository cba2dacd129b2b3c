import Foundation
import RunLog

/// Hands a sweep's runs to Slurm: one `sbatch` job per run; Slurm schedules,
/// dpotop only submits, asks and cancels. No supervisor process is needed.
///
/// The run directory stays the truth about a run (the trainer writes its
/// status); Slurm only says whether a job is pending or running. A job that
/// left the queue while its run still says queued or running is *lost*: its
/// run is marked failed with the tail of the job's output.
public enum SlurmBackend {
  /// The batch script every job runs: it executes its arguments verbatim, so
  /// each run's argv reaches the trainer without any shell string built from
  /// user input.
  static let jobScript = """
    #!/bin/sh
    # dpotop: run this job's argv exactly as given, then record its exit status
    # in the run directory (the first argument), where dpotop reads it.
    dir="$1"
    shift
    "$@"
    rc=$?
    echo "$rc" > "$dir/\(exitStatusName)"
    exit "$rc"

    """
  /// The file the job script writes the trainer's exit status to.
  public static let exitStatusName = RunDirectory.jobExitStatusName
  static let jobScriptName = "job.sh"

  /// Submits every run of a freshly created sweep; records `job:ID` handles.
  public static func submitAll(
    _ sweep: inout SweepManifest, dir: String, executable: String,
    run runCommand: ([String]) throws(SweepError) -> CommandRunner.Output = CommandRunner.run
  ) throws(SweepError) {
    let script = dir + "/" + jobScriptName
    do {
      try writeFileAtomically(script, Data(jobScript.utf8))
    } catch {
      throw SweepError(error.description)
    }
    chmod(script, 0o755)
    let cwd = FileManager.default.currentDirectoryPath
    for i in sweep.runs.indices {
      let run = sweep.runs[i]
      let runDir = absolute(dir + "/" + run.name, cwd: cwd)
      let argv = try SweepCreator.argv(sweep, run, runDir: runDir, executable: executable)
      var sbatch = [
        "sbatch", "--parsable", "--job-name", run.name, "--output",
        runDir + "/" + RunDirectory.slurmOutputPattern,
        "--error", runDir + "/" + RunDirectory.slurmOutputPattern, "--chdir", cwd,
      ]
      sbatch += sweep.slurmArgs ?? []
      sbatch += [absolute(script, cwd: cwd), runDir] + argv
      let out = try runCommand(sbatch)
      guard out.status == 0, let id = parseSubmission(out.stdout) else {
        throw SweepError(
          "sbatch refused \(run.name): "
            + (out.stderr.isEmpty ? out.stdout : out.stderr)
            .trimmingCharacters(in: .whitespacesAndNewlines))
      }
      sweep.runs[i].handle = "job:\(id)"
      try sweep.write(to: dir)
    }
  }

  /// The job id from `sbatch --parsable` output (`12345` or `12345;cluster`).
  public static func parseSubmission(_ text: String) -> String? {
    let line = text.split(separator: "\n").first.map(String.init) ?? ""
    let id = line.split(separator: ";").first.map(String.init) ?? ""
    return !id.isEmpty && id.allSatisfy(\.isNumber) ? id : nil
  }

  /// A job as `squeue` lists it.
  public struct QueuedJob: Sendable, Equatable {
    public var id: String
    public var state: String
    public var name: String
  }

  /// The argv that lists every job in the queue as `id|state|name`.
  public static let squeueArgv = ["squeue", "--noheader", "--format", "%i|%T|%j"]

  /// Parses `squeue --noheader --format %i|%T|%j` output.
  public static func parseQueue(_ text: String) -> [String: QueuedJob] {
    var jobs: [String: QueuedJob] = [:]
    for line in text.split(separator: "\n") {
      let f = line.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false)
      guard f.count == 3 else { continue }
      let id = f[0].trimmingCharacters(in: .whitespaces)
      guard !id.isEmpty else { continue }
      jobs[id] = QueuedJob(id: id, state: String(f[1]), name: String(f[2]))
    }
    return jobs
  }

  /// What the dashboard shows for one run of a Slurm sweep.
  public enum JobState: Sendable, Equatable {
    /// In the queue: `PENDING`, `RUNNING`, `COMPLETING`, ...
    case queued(String)
    /// Not in the queue; the run directory tells the outcome.
    case left
  }

  /// Reconciles a Slurm sweep with the queue: marks runs whose job left the
  /// queue without the run finishing as failed ("lost"), returns each run's
  /// job state.
  public static func reconcile(
    dir: String,
    run runCommand: ([String]) throws(SweepError) -> CommandRunner.Output = CommandRunner.run
  ) throws(SweepError) -> [String: JobState] {
    var sweep = try SweepManifest.read(from: dir)
    let out = try runCommand(squeueArgv)
    guard out.status == 0 else {
      throw SweepError(
        "squeue failed: \(out.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
    }
    let queue = parseQueue(out.stdout)
    var states: [String: JobState] = [:]
    for run in sweep.runs {
      guard let handle = run.handle, handle.hasPrefix("job:") else { continue }
      let id = String(handle.dropFirst(4))
      if let job = queue[id], job.name == run.name {
        states[run.name] = .queued(job.state)
        let runDir = RunDirectory(path: dir + "/" + run.name)
        if sweep.command != nil, job.state == "RUNNING", var m = try? runDir.readManifest(),
          m.status == .queued
        {
          m.status = .running
          m.updatedAt = Date().timeIntervalSince1970
          try? runDir.writeManifest(m)
        }
        continue
      }
      states[run.name] = .left
      let runDir = RunDirectory(path: dir + "/" + run.name)
      guard var m = try? runDir.readManifest(), m.status == .queued || m.status == .running else {
        continue
      }
      let exitText = try? readWholeFile(runDir.path + "/" + exitStatusName)
      let exit = exitText.flatMap {
        Int(String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
      }
      if sweep.command != nil, let exit {
        // Another trainer does not write run.json: its exit status is the outcome.
        m.status = exit == 0 ? .finished : .failed
        m.error =
          exit == 0
          ? nil
          : "trainer exited with status \(exit)"
            + lastLines(runDir.path + "/" + RunDirectory.slurmOutputName(job: id))
      } else {
        m.status = .failed
        m.error =
          "lost: Slurm job \(id) left the queue without finishing the run"
          + lastLines(runDir.path + "/" + RunDirectory.slurmOutputName(job: id))
      }
      m.updatedAt = Date().timeIntervalSince1970
      try? runDir.writeManifest(m)
    }
    let terminal: Set<RunStatus> = [.finished, .failed, .cancelled]
    let done = sweep.runs.allSatisfy {
      terminal.contains(
        (try? RunDirectory(path: dir + "/" + $0.name).readManifest().status) ?? .failed)
    }
    if done, sweep.status == "running" {
      sweep.status = "finished"
      try sweep.write(to: dir)
    }
    return states
  }

  /// Cancels the job of one run with `scancel`, after checking that the job
  /// id is in the queue under that run's name (a handle is a file anyone can edit).
  public static func cancel(
    runName: String, handle: String,
    run runCommand: ([String]) throws(SweepError) -> CommandRunner.Output = CommandRunner.run
  ) throws(SweepError) -> String {
    guard handle.hasPrefix("job:") else {
      throw SweepError("\(runName): not a Slurm job (\(handle))")
    }
    let id = String(handle.dropFirst(4))
    let queue = parseQueue(try runCommand(squeueArgv).stdout)
    guard let job = queue[id] else { throw SweepError("\(runName): job \(id) is no longer queued") }
    guard job.name == runName else {
      throw SweepError("\(runName): job \(id) is named '\(job.name)', not this run; not cancelled")
    }
    let out = try runCommand(["scancel", id])
    guard out.status == 0 else {
      throw SweepError(
        "scancel \(id) failed: \(out.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
    }
    return "\(runName): scancel \(id) (\(job.state.lowercased()))"
  }

  private static func absolute(_ path: String, cwd: String) -> String {
    path.hasPrefix("/") ? path : cwd + "/" + path
  }
}

import RunLog

extension SweepManifest {
  /// `dpotop sweep --status DIR`: the sweep's name, backend and status,
  /// then one line per run: name, status, handle and (Slurm) job state. A
  /// Slurm sweep is reconciled with the queue first, which may finish it.
  public static func statusReport(dir: String) throws -> String {
    var sweep = try SweepManifest.read(from: dir)
    var jobs: [String: SlurmBackend.JobState] = [:]
    if sweep.backend == "slurm" {
      jobs = try SlurmBackend.reconcile(dir: dir)
      sweep = try SweepManifest.read(from: dir)
    }
    var text = "sweep \(sweep.name): \(sweep.backend), \(sweep.status)\n"
    for run in sweep.runs {
      let m = try? RunDirectory(path: dir + "/" + run.name).readManifest()
      var line = "  \(run.name)  \(m?.status.rawValue ?? "unreadable")  \(run.handle ?? "-")"
      if case .queued(let state)? = jobs[run.name] { line += "  slurm:\(state.lowercased())" }
      if let error = m?.error { line += "  (\(error))" }
      text += line + "\n"
    }
    return text
  }
}

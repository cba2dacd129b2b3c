import Foundation
import RunLog

/// Lays out a new sweep on disk: the sweep directory, `sweep.json`, and one
/// run directory per planned run holding a `queued` manifest, so a dashboard
/// shows every run from the moment the sweep exists.
public enum SweepCreator {
  /// Creates the sweep described by `spec` at `spec.out`; refuses to touch an
  /// existing path, so nothing is ever overwritten.
  public static func create(
    _ spec: SweepSpec, backend: String = "local", command: CommandTemplate? = nil,
    slurmArgs: [String]? = nil, now: Double = Date().timeIntervalSince1970
  ) throws(SweepError) -> SweepManifest {
    try spec.validate()
    try command?.check(objectives: spec.objectives)
    let dir = spec.out
    if FileManager.default.fileExists(atPath: dir) {
      throw SweepError(
        field: "out", "\(dir) already exists; nothing was overwritten",
        hint: "choose a new --out directory")
    }
    let name = (dir as NSString).lastPathComponent
    try SafeName.check(name, field: "out")
    do {
      try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    } catch {
      throw SweepError(field: "out", "cannot create \(dir): \(error.localizedDescription)")
    }
    let id = "\(name)-\(Int(now))"
    let manifest = SweepManifest(
      id: id, name: name, createdAt: now, backend: backend, spec: spec, command: command,
      slurmArgs: slurmArgs)
    for (planned, run) in zip(spec.plan(), manifest.runs) {
      let runDir = RunDirectory(path: dir + "/" + run.name)
      var m = RunManifest(
        id: "\(id)/\(run.name)", name: run.name, createdAt: now,
        trainer: command == nil ? "dpotop" : "command", status: .queued)
      m.objective = planned.objective
      m.beta = planned.beta
      m.lambda = planned.objective == "dpop" ? spec.lambda : nil
      m.learningRate = spec.learningRate
      m.plannedSteps = spec.steps
      m.seed = planned.seed
      // Another trainer's data is whatever its template says; only the
      // embedded trainer's --data is known here.
      m.dataset = command == nil ? DatasetInfo(name: spec.data) : nil
      m.sweepId = id
      m.sweepAxes = planned.axes
      m.reference = spec.reference
      m.updatedAt = now
      do {
        try runDir.create()
        try runDir.writeManifest(m)
      } catch {
        throw SweepError(error.description)
      }
    }
    try manifest.write(to: dir)
    return manifest
  }

  /// The full argv of one run: the command template's, or `dpotop train`'s.
  public static func argv(
    _ sweep: SweepManifest, _ run: SweepManifest.Run, runDir: String, executable: String
  ) throws(SweepError) -> [String] {
    if let command = sweep.command {
      return try command.argv(for: run, spec: sweep.spec, runDir: runDir)
    }
    return [executable] + trainArguments(sweep.spec, run, runDir: runDir)
  }

  /// The `dpotop train` arguments (after the executable) for one run of a sweep.
  public static func trainArguments(_ spec: SweepSpec, _ run: SweepManifest.Run, runDir: String)
    -> [String]
  {
    var args = [
      "train", "--objective", run.objective, "--beta", formatNumber(run.beta),
      "--steps", String(spec.steps), "--lr", formatNumber(spec.learningRate),
      "--data", spec.data, "--seed", String(run.seed), "--out", runDir,
      "--threads", String(max(1, SweepSpec.defaultJobs / max(1, spec.jobs))),
    ]
    if run.objective == "dpop" { args += ["--lambda", formatNumber(spec.lambda)] }
    if let ref = spec.reference { args += ["--ref", ref] }
    if preferenceObjectives.contains(run.objective) {
      // The runs share one seed's pairs and one reference: each reads the
      // reference log-probs another already computed (bit-identical results).
      args += ["--ref-cache", referenceCacheDirectory(runDir: runDir)]
      if let bestOf = spec.bestOf { args += ["--best-of", String(bestOf)] }
    }
    return args
  }

  /// The objectives `dpotop train` scores against a reference.
  static let preferenceObjectives: Set = ["dpo", "dpop", "ipo", "slic"]

  /// The reference log-prob cache the embedded-trainer runs of a sweep share:
  /// `reference-cache/` in the sweep directory, beside the run directories
  /// (not a run: it holds no run.json or metrics, so discovery passes it by).
  public static func referenceCacheDirectory(runDir: String) -> String {
    let sweep = (runDir as NSString).deletingLastPathComponent
    return (sweep.isEmpty ? "." : sweep) + "/" + referenceCacheName
  }

  /// Name of a sweep's reference cache directory.
  public static let referenceCacheName = "reference-cache"
}

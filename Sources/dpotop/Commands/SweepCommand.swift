import Foundation
import RunLog
import Sweeps

/// `dpotop sweep`: a β ablation as one directory of runs, trained by the
/// embedded trainer at most `--jobs` at a time.
enum SweepCommand {
  static var command: Command {
    let d = SweepSpec()
    return Command(
      name: "sweep",
      summary: "launch a β-ablation sweep (DPO vs DPOP × β) with the embedded trainer",
      help: """
        USAGE: dpotop sweep [OPTIONS] --out DIR [-- COMMAND TEMPLATE...]

        Creates DIR with sweep.json and one run directory per objective × β × seed
        (each starts as 'queued'), then trains them with 'dpotop train', at most
        --jobs at once, recording each run's status. DIR must not exist.

        OPTIONS:
          --objectives LIST  any of dpo, dpop, ipo, slic    (default: \(d.text(.objectives)))
          --betas LIST       β values, each > 0             (default: \(d.text(.betas)))
          --lambda X         DPOP's λ, ≥ 0                  (default: \(d.text(.lambda)))
          --steps N          steps per run                  (default: \(d.steps))
          --lr X             learning rate                  (default: \(d.text(.lr)))
          --data NAME|FILE   built-in dataset or preference JSONL (default: \(d.data))
          --seeds LIST       seeds                          (default: \(d.text(.seeds)))
          --jobs N           runs trained at once           (default: \(d.jobs), this machine's cores)
          --ref CHECKPOINT   reference model (default: the trainer's default, the shipped reference)
          --out DIR          the sweep directory to create  (required)
          --detach           start the sweep in the background (new session, output to
                             DIR/sweep.log) and return at once; it survives logout
          --backend NAME     where runs train (default: local):
                               local    the embedded trainer on this machine, --jobs at once
                               command  any trainer: the argv after -- with {objective} {beta}
                                        {lambda} {seed} {steps} {lr} {out} {run_name} replaced
                                        inside each token (never through a shell)
                               slurm    one sbatch job per run (dpotop train, or the template)
          --objective-map M  translate objectives for the template, e.g.
                             dpo=sigmoid,ipo=ipo,slic=hinge; unmapped objectives are refused
          --preset trl       the template and map for TRL's 'trl dpo' (append the model and
                             dataset options after --); TRL has no DPOP, so dpop is refused
          --slurm-arg ARG    an extra sbatch option, repeatable (e.g. --slurm-arg=--partition=gpu)
          --status DIR       print each run's status (and Slurm job state) and exit
          --supervise DIR    (internal) drive an existing sweep directory

        Cancel with 'dpotop cancel DIR' (or a run's directory); resume a run with
        'dpotop resume RUN'. Watch with 'dpotop DIR'.
        """,
      run: run)
  }

  static func run(_ args: [String]) -> Int32 {
    let options = Options(
      valued: [
        "objectives", "betas", "lambda", "steps", "lr", "data", "seeds", "jobs", "out", "ref",
        "supervise", "backend", "objective-map", "preset", "status",
      ],
      flags: ["detach"], repeated: ["slurm-arg"])
    let parsed: Options.Parsed
    do {
      parsed = try options.parse(args)
    } catch {
      fail(error.description, hint: "see 'dpotop sweep --help'")
    }
    guard parsed.positional.isEmpty else {
      fail("unexpected argument '\(parsed.positional[0])'", hint: "see 'dpotop sweep --help'")
    }
    if let dir = parsed.string("supervise") { return supervise(dir, say: { print($0) }) }
    if let dir = parsed.string("status") { return status(dir) }

    var spec = SweepSpec()
    let fields: [(String, SweepSpec.Field)] = [
      ("objectives", .objectives), ("betas", .betas), ("lambda", .lambda), ("steps", .steps),
      ("lr", .lr), ("data", .data), ("seeds", .seeds), ("jobs", .jobs), ("out", .out),
    ]
    do {
      for (name, field) in fields {
        if let text = parsed.string(name) { try spec.set(field, text) }
      }
      guard parsed.string("out") != nil else {
        throw SweepError(field: "out", "is required", hint: "e.g. --out runs/beta-sweep")
      }
      spec.reference = parsed.string("ref")
      let backend =
        parsed.string("backend") ?? (parsed.string("preset") != nil ? "command" : "local")
      guard ["local", "command", "slurm"].contains(backend) else {
        throw SweepError(
          field: "backend", "unknown backend '\(backend)'", hint: "local, command or slurm")
      }
      let command = try template(parsed, spec: spec, backend: backend)
      var manifest = try SweepCreator.create(
        spec, backend: backend, command: command,
        slurmArgs: backend == "slurm" ? parsed.lists["slurm-arg"] ?? [] : nil)
      print("created \(spec.out) with \(manifest.runs.count) runs")
      if backend == "slurm" {
        try SlurmBackend.submitAll(
          &manifest, dir: spec.out, executable: ProcessLauncher.selfExecutable)
        for run in manifest.runs { print("\(run.name): \(run.handle ?? "?")") }
        print("submitted to Slurm; watch with 'dpotop \(spec.out)'")
        return 0
      }
      if parsed.flag("detach") {
        let pid = try RunControl.launchSupervisor(
          spec.out, executable: ProcessLauncher.selfExecutable)
        print("sweep running in the background (pid \(pid)); log: \(spec.out)/sweep.log")
        return 0
      }
    } catch {
      fail("\(error)")
    }
    return supervise(spec.out, say: { print($0) })
  }

  /// The command template from `-- ...` and/or `--preset`, checked before anything starts.
  static func template(_ parsed: Options.Parsed, spec: SweepSpec, backend: String)
    throws(SweepError)
    -> CommandTemplate?
  {
    let map = try parsed.string("objective-map").map { text throws(SweepError) in
      try CommandTemplate.parseMap(text)
    }
    if parsed.lists["slurm-arg"] != nil, backend != "slurm" {
      throw SweepError(field: "slurm-arg", "only applies to --backend slurm")
    }
    if let preset = parsed.string("preset") {
      guard preset == "trl" else {
        throw SweepError(
          field: "preset", "unknown preset '\(preset)'", hint: "the only preset is trl")
      }
      if spec.objectives.contains("dpop") { throw CommandTemplate.trlHasNoDPOP }
      var t = try CommandTemplate.trlPreset(extra: parsed.rest ?? [])
      if let map { t.objectiveMap = map }
      try t.check(objectives: spec.objectives)
      return t
    }
    guard let rest = parsed.rest else {
      if backend == "command" {
        throw SweepError(
          field: "backend", "command needs a template after --",
          hint: "e.g. dpotop sweep --backend command --out DIR -- python train.py --beta {beta}")
      }
      if map != nil {
        throw SweepError(field: "objective-map", "needs a command template after --")
      }
      return nil
    }
    guard backend != "local" else {
      throw SweepError(field: "backend", "a command template needs --backend command or slurm")
    }
    let t = try CommandTemplate(tokens: rest, objectiveMap: map ?? [:])
    try t.check(objectives: spec.objectives)
    return t
  }

  /// Prints one line per run: name, status, handle and (Slurm) job state.
  static func status(_ dir: String) -> Int32 {
    do {
      var sweep = try SweepManifest.read(from: dir)
      var jobs: [String: SlurmBackend.JobState] = [:]
      if sweep.backend == "slurm" {
        jobs = try SlurmBackend.reconcile(dir: dir)
        sweep = try SweepManifest.read(from: dir)  // reconciling may have finished it
      }
      print("sweep \(sweep.name): \(sweep.backend), \(sweep.status)")
      for run in sweep.runs {
        let m = try? RunDirectory(path: dir + "/" + run.name).readManifest()
        var line = "  \(run.name)  \(m?.status.rawValue ?? "unreadable")  \(run.handle ?? "-")"
        if case .queued(let state)? = jobs[run.name] { line += "  slurm:\(state.lowercased())" }
        if let error = m?.error { line += "  (\(error))" }
        print(line)
      }
      return 0
    } catch {
      fail("\(error)")
    }
  }

  static func supervise(_ dir: String, say: @escaping (String) -> Void) -> Int32 {
    do {
      let supervisor = try LocalSupervisor(
        dir: dir, executable: ProcessLauncher.selfExecutable,
        say: { line in
          say(line)
          fflush(nil)
        })
      return try supervisor.run()
    } catch {
      fail("\(error)")
    }
  }
}

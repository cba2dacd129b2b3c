import Foundation
import Processes
import RunLog
import Sweeps

/// `dpotop sweep`: a β ablation as one directory of runs, trained by the
/// embedded trainer at most `--jobs` at a time.
enum SweepCommand {
  /// The options, declared once: the parser and the help come from these.
  static var options: [OptionSpec] {
    let d = SweepSpec()
    return [
      .value(
        "objectives", "LIST", "any of dpo, dpop, ipo, slic", default: "\(d.text(.objectives))"),
      .value("betas", "LIST", "β values, each > 0", default: "\(d.text(.betas))"),
      .value("lambda", "X", "DPOP's λ, ≥ 0", default: "\(d.text(.lambda))"),
      .value("steps", "N", "steps per run", default: "\(d.steps)"),
      .value("lr", "X", "learning rate", default: "\(d.text(.lr))"),
      .value("data", "NAME|FILE", "built-in dataset or preference JSONL", default: "\(d.data)"),
      .value("seeds", "LIST", "seeds", default: "\(d.text(.seeds))"),
      .value("jobs", "N", "runs trained at once", default: "\(d.jobs), this machine's cores"),
      .value(
        "ref", "CHECKPOINT", "reference model",
        default: "the trainer's default, the shipped reference"),
      .value(
        "best-of", "N",
        "samples per prompt for best-of-N at each evaluation, 0: off (embedded trainer; default: the trainer's, 8)"
      ),
      .value("out", "DIR", "the sweep directory to create (required)"),
      .flag(
        "detach",
        "start the sweep in the background (new session, output to DIR/sweep.log) and return at once; it survives logout"
      ),
      .value(
        "backend", "NAME",
        "where runs train (default: local):\n  local    the embedded trainer on this machine, --jobs at once\n  command  any trainer: the argv after -- with {objective} {beta}\n           {lambda} {seed} {steps} {lr} {out} {run_name} replaced\n           inside each token (never through a shell)\n  slurm    one sbatch job per run (dpotop train, or the template)"
      ),
      .value(
        "objective-map", "M",
        "translate objectives for the template, e.g. dpo=sigmoid,ipo=ipo,slic=hinge; unmapped objectives are refused"
      ),
      .value(
        "preset", "trl",
        "the template and map for TRL's 'trl dpo' through dpotop's TRL integration, 'dpotop-trl-dpo' (pip install ./integrations/trl): dpo, dpop (--lambda), ipo, slic; append the model and dataset options after --"
      ),
      .repeated(
        "slurm-arg", "ARG", "an extra sbatch option, repeatable (e.g. --slurm-arg=--partition=gpu)"),
      .value("status", "DIR", "print each run's status (and Slurm job state) and exit"),
      .value("supervise", "DIR", "(internal) drive an existing sweep directory"),
    ]
  }

  static var command: Command {
    Command(
      name: "sweep",
      summary: "launch a β-ablation sweep (DPO vs DPOP × β) with the embedded trainer",
      help: """
        USAGE: dpotop sweep [OPTIONS] --out DIR [-- COMMAND TEMPLATE...]

        Creates DIR with sweep.json and one run directory per objective × β × seed
        (each starts as 'queued'), then trains them with 'dpotop train', at most
        --jobs at once, recording each run's status. DIR must not exist.

        OPTIONS:
        \(OptionSpec.helpSection(options))

        Cancel with 'dpotop cancel DIR' (or a run's directory); resume a run with
        'dpotop resume RUN'. Watch with 'dpotop DIR'.
        """,
      options: options, run: run)
  }

  static func run(_ args: [String]) -> Int32 {
    let parsed = parsingArguments(help: "sweep") { () throws(OptionError) in
      try Options(options).parse(args)
    }
    guard parsed.positional.isEmpty else {
      fail("unexpected argument '\(parsed.positional[0])'", hint: "see 'dpotop sweep --help'")
    }
    if let dir = parsed.string("supervise") { return supervise(dir, say: { print($0) }) }
    if let dir = parsed.string("status") { return status(dir) }

    var launch = SweepLaunch()
    let fields: [(String, SweepLaunch.Field)] = [
      ("objectives", .objectives), ("betas", .betas), ("lambda", .lambda), ("steps", .steps),
      ("lr", .lr), ("data", .data), ("seeds", .seeds), ("jobs", .jobs), ("out", .out),
    ]
    do {
      for (name, field) in fields {
        if let text = parsed.string(name) { try launch.set(field, text) }
      }
      guard parsed.string("out") != nil else {
        throw SweepError(field: "out", "is required", hint: "e.g. --out runs/beta-sweep")
      }
      launch.spec.reference = parsed.string("ref")
      if let text = parsed.string("best-of") {
        guard let n = Int(text), (0...1024).contains(n) else {
          throw SweepError(field: "best-of", "must be a whole number in 0...1024")
        }
        launch.spec.bestOf = n
      }
      launch.backend = try SweepBackend.parse(
        parsed.string("backend") ?? (parsed.string("preset") != nil ? "command" : "local"))
      // Each --slurm-arg is one argument already: checked, not re-split.
      launch.slurmArgs = parsed.lists["slurm-arg"] ?? []
      try SweepLaunch.checkSlurmArgs(launch.slurmArgs)
      launch.command = try template(parsed, spec: launch.spec)
      let started = try launch.start(
        executable: ProcessLauncher.selfExecutable, detach: parsed.flag("detach"))
      let out = launch.spec.out
      switch started {
      case .submitted(let manifest):
        print("created \(out) with \(manifest.runs.count) runs")
        for run in manifest.runs { print("\(run.name): \(run.handle ?? "?")") }
        print("submitted to Slurm; watch with 'dpotop \(out)'")
        return 0
      case .detached(let manifest, let pid):
        print("created \(out) with \(manifest.runs.count) runs")
        print("sweep running in the background (pid \(pid)); log: \(out)/sweep.log")
        return 0
      case .created(let manifest):
        print("created \(out) with \(manifest.runs.count) runs")
      }
    } catch {
      fail("\(error)")
    }
    return supervise(launch.spec.out, say: { print($0) })
  }

  /// The command template from `-- ...` and/or `--preset` (the backend's
  /// need for one is `SweepLaunch.validate`'s to check).
  static func template(_ parsed: Options.Parsed, spec: SweepSpec) throws(SweepError)
    -> CommandTemplate?
  {
    let map = try parsed.string("objective-map").map { text throws(SweepError) in
      try CommandTemplate.parseMap(text)
    }
    if let preset = parsed.string("preset") {
      guard preset == "trl" else {
        throw SweepError(
          field: "preset", "unknown preset '\(preset)'", hint: "the only preset is trl")
      }
      var t = try CommandTemplate.trlPreset(extra: parsed.rest ?? [])
      if let map { t.objectiveMap = map }
      return t
    }
    guard let rest = parsed.rest else {
      if map != nil {
        throw SweepError(field: "objective-map", "needs a command template after --")
      }
      return nil
    }
    return try CommandTemplate(tokens: rest, objectiveMap: map ?? [:])
  }

  /// Prints the sweep's status and one line per run (`SweepManifest.statusReport`).
  static func status(_ dir: String) -> Int32 {
    do {
      print(try SweepManifest.statusReport(dir: dir), terminator: "")
      return 0
    } catch {
      fail("\(error)")
    }
  }

  static func supervise(_ dir: String, say: @escaping (String) -> Void) -> Int32 {
    // Progress goes to stdout: once the terminal or pipe it went to is gone
    // (a closed SSH session, `| tee` killed), a write must fail quietly,
    // not kill the supervisor of runs that are still training.
    signal(SIGPIPE, SIG_IGN)
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

import Foundation
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
        USAGE: dpotop sweep [OPTIONS] --out DIR

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
        "supervise",
      ],
      flags: ["detach"])
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
      let manifest = try SweepCreator.create(spec)
      print("created \(spec.out) with \(manifest.runs.count) runs")
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

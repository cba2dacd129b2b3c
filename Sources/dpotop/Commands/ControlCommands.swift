import Foundation
import Processes
import Sweeps

/// `dpotop cancel` and `dpotop resume`: the dashboard's run controls, for scripts.
enum CancelCommand {
  static let command = Command(
    name: "cancel",
    summary: "cancel runs or whole sweeps (the trainer checkpoints and stops)",
    help: """
      USAGE: dpotop cancel PATH...

      PATH is a run directory or a sweep directory (with sweep.json). A queued run
      is marked cancelled; a running one gets SIGTERM, after dpotop has proven that
      the pid in its run.json is that run's live trainer (it holds the run's lock
      and its command line is 'dpotop train'); a sweep's supervisor is signalled
      and cancels every run. A pid that cannot be proven is never signalled.

      Exits 0 when every PATH was handled, 1 otherwise.
      """,
    run: { args in
      guard !args.isEmpty else { fail("cancel needs at least one PATH") }
      var status: Int32 = 0
      for path in args {
        do {
          print(try RunControl.cancel(path))
        } catch {
          FileHandle.standardError.write(Data("dpotop: \(error)\n".utf8))
          status = 1
        }
      }
      return status
    })
}

enum ResumeCommand {
  static let command = Command(
    name: "resume",
    summary: "restart stopped, cancelled or failed runs from their last checkpoint",
    help: """
      USAGE: dpotop resume RUN...

      Starts 'dpotop train --resume --out RUN' for each run directory in the
      background (new session, output appended to RUN/trainer.log). Refuses a run
      whose trainer is still alive (it holds the run's lock) or that has finished.

      Exits 0 when every RUN was started, 1 otherwise.
      """,
    run: { args in
      guard !args.isEmpty else { fail("resume needs at least one RUN") }
      var status: Int32 = 0
      for path in args {
        do {
          let pid = try RunControl.resume(path, executable: ProcessLauncher.selfExecutable)
          print("\(path): resumed (pid \(pid))")
        } catch {
          FileHandle.standardError.write(Data("dpotop: \(error)\n".utf8))
          status = 1
        }
      }
      return status
    })
}

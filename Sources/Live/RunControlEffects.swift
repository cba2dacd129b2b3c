import Dashboard
import Foundation
import Processes
import Sweeps

/// The effects that start or stop training processes, each answered with a
/// message for the dashboard (the result, or why it did not happen).
public enum RunControlEffects {
  /// Creates the sweep and hands it to its backend, exactly as `dpotop
  /// sweep --detach` does (`SweepLaunch.start`): a detached supervisor that
  /// outlives the dashboard, or one sbatch job per run. Makes sure the
  /// watcher sees its runs; a refusal (directory exists, sbatch missing or
  /// refusing) comes back as a message for the form.
  public static func launch(
    _ launch: SweepLaunch, watcher: RunWatcher,
    run runCommand: ([String]) throws(SweepError) -> CommandRunner.Output = CommandRunner.run
  ) -> Msg {
    let out = launch.spec.out
    do {
      let started = try launch.start(
        executable: ProcessLauncher.selfExecutable, detach: true, run: runCommand)
      watcher.addRoot(out)
      if case .submitted(let manifest) = started {
        return .sweepLaunched(path: "\(out) (\(manifest.runs.count) Slurm jobs)")
      }
      return .sweepLaunched(path: out)
    } catch {
      // Runs a failed submission left behind (marked failed) still show.
      if FileManager.default.fileExists(atPath: out + "/" + SweepManifest.fileName) {
        watcher.addRoot(out)
      }
      let hint = error.hint.map { " (\($0))" } ?? ""
      return .sweepLaunchFailed(
        message: (error.field.map { "\($0): " } ?? "") + error.message + hint)
    }
  }

  /// Asks run `id`'s trainer to stop (after proving the pid is its trainer).
  public static func cancel(_ id: String) -> Msg {
    do {
      return .notice(try RunControl.cancel(id))
    } catch {
      return .notice("cancel \((id as NSString).lastPathComponent): \(error.description)")
    }
  }

  /// Restarts run `id` from its last checkpoint, detached.
  public static func resume(_ id: String) -> Msg {
    let name = (id as NSString).lastPathComponent
    do {
      let pid = try RunControl.resume(id, executable: ProcessLauncher.selfExecutable)
      return .notice("resumed \(name) (pid \(pid))")
    } catch {
      return .notice("resume \(name): \(error.description)")
    }
  }
}

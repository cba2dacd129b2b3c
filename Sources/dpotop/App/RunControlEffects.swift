import Dashboard
import Foundation
import Sweeps

/// The effects that start or stop training processes, each answered with a
/// message for the dashboard (the result, or why it did not happen).
enum RunControlEffects {
  /// Creates the sweep and starts its supervisor detached (it outlives the
  /// dashboard); makes sure the watcher sees its runs.
  static func launch(_ spec: SweepSpec, watcher: RunWatcher) -> Msg {
    do {
      _ = try SweepCreator.create(spec)
      _ = try RunControl.launchSupervisor(spec.out, executable: ProcessLauncher.selfExecutable)
      watcher.addRoot(spec.out)
      return .sweepLaunched(path: spec.out)
    } catch {
      return .sweepLaunchFailed(message: error.description)
    }
  }

  /// Asks run `id`'s trainer to stop (after proving the pid is its trainer).
  static func cancel(_ id: String) -> Msg {
    do {
      return .notice(try RunControl.cancel(id))
    } catch {
      return .notice("cancel \((id as NSString).lastPathComponent): \(error.description)")
    }
  }

  /// Restarts run `id` from its last checkpoint, detached.
  static func resume(_ id: String) -> Msg {
    let name = (id as NSString).lastPathComponent
    do {
      let pid = try RunControl.resume(id, executable: ProcessLauncher.selfExecutable)
      return .notice("resumed \(name) (pid \(pid))")
    } catch {
      return .notice("resume \(name): \(error.description)")
    }
  }
}

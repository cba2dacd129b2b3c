import Dashboard
import Foundation
import RunLog

/// Performs the effects `update` returns that read files or start and stop
/// processes, shared by the dashboard and `dpotop render` so both answer an
/// effect the same way.
///
/// What is ready at once (a log tail, probes, figures written) is returned
/// for the caller to feed to `update`; what waits on other programs
/// (launch, cancel, resume: sbatch, squeue and scancel block for seconds
/// when the Slurm controller is down) runs off the caller's thread, one at a
/// time in the order asked, and answers through `send`. What only the
/// caller can do (quit, theme) is handed back untouched. Used from one
/// thread (the app's main loop, or `render`).
public final class EffectRunner {
  /// What one `perform` did.
  public struct Performed {
    /// Messages ready now, in the order their effects came.
    public var messages: [Msg] = []
    /// Effects this runner does not perform (quit, setTheme; launch with no watcher).
    public var unhandled: [Effect] = []
  }

  /// Where launch, cancel and resume run: one at a time, in the order asked.
  private static let control = DispatchQueue(label: "dpotop.run-control")

  /// The watcher told about a launched sweep's directory (nil: no launches).
  private let watcher: RunWatcher?
  private let send: @Sendable ([Msg]) -> Void
  /// Where `writeFigures` puts its directory.
  private let figureBase: String
  /// Tailers of the `probes.jsonl` the token view asked for, by run id.
  private var probeReaders: [String: ProbesReader] = [:]

  /// A runner answering slow effects through `send` (from another thread).
  public init(
    watcher: RunWatcher?, figureBase: String = FileManager.default.currentDirectoryPath,
    send: @escaping @Sendable ([Msg]) -> Void
  ) {
    self.watcher = watcher
    self.figureBase = figureBase
    self.send = send
  }

  /// Performs `effects`; see `Performed`.
  public func perform(_ effects: [Effect]) -> Performed {
    var done = Performed()
    let send = self.send
    for effect in effects {
      switch effect {
      case .requestLogTail(let id):
        done.messages.append(.logTail(id: id, lines: LogTail.read(RunDirectory(path: id).logPath)))
      case .requestProbes(let id):
        // Incremental: a tick's request reads only what the file gained.
        let known = probeReaders[id]
        let reader = known ?? ProbesReader(run: RunDirectory(path: id))
        probeReaders[id] = reader
        let changed = (try? reader.poll()) ?? true
        if known == nil || changed { done.messages.append(.probes(id: id, log: reader.log)) }
      case .launchSweep(let launch):
        guard let watcher else {
          done.unhandled.append(effect)
          continue
        }
        Self.control.async { send([RunControlEffects.launch(launch, watcher: watcher)]) }
      case .cancelRuns(let ids):
        Self.control.async { send(ids.map(RunControlEffects.cancel)) }
      case .resumeRuns(let ids):
        Self.control.async { send(ids.map(RunControlEffects.resume)) }
      case .writeFigures(let files):
        done.messages.append(.notice(ScreenFigureWriter.write(files, in: figureBase)))
      case .quit, .setTheme:
        done.unhandled.append(effect)
      }
    }
    return done
  }
}

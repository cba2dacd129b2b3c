import Dashboard
import Foundation
import RunLog

/// One run's source turned into `Msg`s: each poll reports only what changed
/// since the last one (manifest, new metrics, notes, read errors and, when
/// asked, whether its trainer is still alive).
///
/// The one ingestion path from run files to the dashboard: `RunWatcher`
/// polls one per run on its thread, and `dpotop render` reads each run whole
/// through one (`readAll`), so a screen printed by `render` is built from
/// the messages the live dashboard gets. Confined to one thread at a time.
public final class RunPoller {
  /// The run's files.
  public let source: RunSource
  /// A local copy of a remote run: its trainer's pid is on another machine,
  /// so liveness is never checked here.
  private let remote: Bool
  private var manifestStamp: FileStamp?
  private var manifest: RunManifest?
  /// Last liveness reported: nil before any, `.some(nil)` for "not known".
  private var alive: Bool??
  private var error: String?
  private var badCount = 0
  private var notes: [String] = []

  /// A poller of `source` that has reported nothing yet.
  public init(source: RunSource, remote: Bool = false) {
    self.source = source
    self.remote = remote
  }

  /// The run's id (its directory, as discovery names runs).
  public var id: String { source.id }

  /// One poll: the manifest (when its file changed), new metrics, notes,
  /// and liveness when `checkLiveness`; what changed is appended to `msgs`.
  /// True when the metrics file holds more than was read (a slice per poll).
  @discardableResult
  public func poll(checkLiveness: Bool, into msgs: inout [Msg]) -> Bool {
    var more = false
    let id = source.id
    do {
      let path = (source as? NativeRunSource)?.directory.manifestPath
      let stamp = path.flatMap(FileStamp.of)
      if stamp == nil || stamp != manifestStamp || manifest == nil {
        let read = try source.manifest()
        manifestStamp = stamp
        if read != manifest {
          manifest = read
          msgs.append(.runUpdated(id: id, kind: source.kind, manifest: read))
          if read.status != .running { alive = .some(nil) }
        }
      }
      var delta = SeriesStore()
      let poll = try source.poll(into: &delta)
      more = poll.more
      let bad = source.badCount
      if poll.records > 0 || poll.reset || bad != badCount {
        badCount = bad
        msgs.append(
          .metrics(
            id: id, delta: delta, reset: poll.reset, badCount: bad,
            recentBad: source.recentBad))
      }
      if source.notes != notes {
        notes = source.notes
        msgs.append(.runNotes(id: id, notes: notes))
      }
      error = nil
    } catch {
      let message = error.description
      if message != self.error {
        self.error = message
        msgs.append(.runError(id: id, message: message))
      }
    }
    if checkLiveness, let manifest {
      let now: Bool? =
        manifest.status == .running && !remote
        ? manifest.pid.map { Self.processExists($0) } : nil
      if alive != .some(now) {
        alive = .some(now)
        msgs.append(.liveness(id: id, alive: now))
      }
    }
    return more
  }

  /// Polls until nothing is left unread: the messages of reading the run
  /// whole, once (`render`; its sources read without a slice limit).
  public func readAll() -> [Msg] {
    var msgs: [Msg] = []
    while poll(checkLiveness: false, into: &msgs) {}
    return msgs
  }

  /// Whether a process with `pid` exists (EPERM: it exists, owned by someone else).
  public static func processExists(_ pid: Int32) -> Bool {
    guard pid > 0 else { return false }
    return kill(pid, 0) == 0 || errno == EPERM
  }
}

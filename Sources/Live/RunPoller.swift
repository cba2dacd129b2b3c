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
      try readManifest(into: &msgs)
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

  /// Reports the manifest when its file changed (`runUpdated`), reading no
  /// metrics: the watcher lists every new run this way before reading any
  /// run's metrics. A manifest that cannot be read is left to `poll` to report.
  public func pollManifest(into msgs: inout [Msg]) {
    try? readManifest(into: &msgs)
  }

  private func readManifest(into msgs: inout [Msg]) throws(RunLogError) {
    let path = (source as? NativeRunSource)?.directory.manifestPath
    let stamp = path.flatMap(FileStamp.of)
    guard stamp == nil || stamp != manifestStamp || manifest == nil else { return }
    let read = try source.manifest()
    manifestStamp = stamp
    if read != manifest {
      manifest = read
      msgs.append(.runUpdated(id: source.id, kind: source.kind, manifest: read))
      if read.status != .running { alive = .some(nil) }
    }
  }

  /// Polls until nothing is left unread: the messages of reading the run
  /// whole, once (`render`; its sources read without a slice limit).
  public func readAll() -> [Msg] {
    var msgs: [Msg] = []
    while poll(checkLiveness: false, into: &msgs) {}
    return msgs
  }

  /// Reads every one of `sources` whole (`readAll`), on every core
  /// (`OrderedParallel`, a window of runs at a time), and hands each run's
  /// messages to `deliver` on the calling thread, in the order of `sources`:
  /// `render` of a 1000-run folder uses both cores and holds one window of
  /// 64-bit series at a time, merged into the state as they arrive.
  public static func readAll(_ sources: [RunSource], deliver: ([Msg]) -> Void) {
    let handed = sources.map(Handoff.init)
    OrderedParallel.forEach(handed.count) { i in
      RunPoller(source: handed[i].value).readAll()
    } deliver: { _, msgs in
      deliver(msgs)
    }
  }

  /// Whether a process with `pid` exists (EPERM: it exists, owned by someone else).
  public static func processExists(_ pid: Int32) -> Bool {
    guard pid > 0 else { return false }
    return kill(pid, 0) == 0 || errno == EPERM
  }
}

import Dashboard
import Foundation
import RunLog

/// Watches run directories on its own thread and reports what changed as
/// `Msg`s: runs appearing and disappearing, manifest changes, new metrics
/// (only what is new since the last poll), trainer liveness, read errors.
///
/// Tailing blocks on file I/O, so it runs on a dedicated `Thread`, never on
/// the main actor or the cooperative pool. It polls every run each
/// `interval`, and at once when inotify says a run's directory changed. The sources are confined to that
/// thread; only the stop flag is shared (under a lock).
public final class RunWatcher: @unchecked Sendable {
  // @unchecked: `tracked` and the timers are touched only on the watcher
  // thread (inside `loop`); `stopped` only under `lock`; the rest is
  // immutable (the reconciler locks its own).

  /// Directories searched for runs (more can be added while running).
  private var roots: [String]
  /// Seconds between polls of every source.
  public let interval: Double
  /// Seconds between walks of the roots looking for new or removed runs.
  public let discoveryInterval: Double
  /// Seconds between timer polls when inotify works: changes wake the watcher
  /// at once, so the timer only catches what inotify misses (network
  /// filesystems), and idle CPU stays low with many runs.
  public static let safetyNetInterval = 0.25
  /// Seconds between liveness checks of running trainers.
  public let livenessInterval: Double

  private let send: @Sendable ([Msg]) -> Void
  /// Asks Slurm about the sweeps on screen, and marks lost jobs' runs failed
  /// (the one place a viewer writes run.json: see `SlurmReconciler`).
  private let slurm: SlurmReconciler
  private let lock = NSLock()
  private var stopped = false
  private let notifier: DirectoryNotifier
  private let finished = DispatchSemaphore(value: 0)
  private var thread: Thread?

  /// Each run's poller (what was last reported about it), by run id.
  private var tracked: [String: RunPoller] = [:]
  /// Local copies of remote paths: their runs' pids and Slurm jobs are on
  /// another machine, so they are neither checked nor reconciled here.
  private let remoteRoots: [String]
  private func isRemote(_ id: String) -> Bool { remoteRoots.contains { id.hasPrefix($0) } }
  private var order: [String] = []

  /// A watcher of `roots` that hands each poll's messages to `send`
  /// (`inotify: false`: timer polls only, as on filesystems without it).
  public init(
    roots: [String], interval: Double = 0.05, discoveryInterval: Double = 1.0,
    livenessInterval: Double = 1.0, inotify: Bool = true, sliceBytes: Int64 = 16 << 20,
    remoteRoots: [String] = [], send: @escaping @Sendable ([Msg]) -> Void
  ) {
    self.remoteRoots = remoteRoots.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
    self.sliceBytes = sliceBytes
    notifier = DirectoryNotifier(inotify: inotify)
    self.roots = roots
    self.interval = interval
    self.discoveryInterval = discoveryInterval
    self.livenessInterval = livenessInterval
    self.send = send
    slurm = SlurmReconciler(send: send)
  }

  /// Starts the watcher thread (once).
  public func start() {
    guard thread == nil else { return }
    // The thread holds the watcher only while it runs (weakly before and
    // after): `thread` keeps the Thread, and a strong capture here would be a
    // cycle that outlives the dashboard (LeakSanitizer: the whole watcher).
    let finished = self.finished
    let t = Thread { [weak self] in
      self?.loop()
      finished.signal()
    }
    t.name = "dpotop.run-watcher"
    thread = t
    t.start()
  }

  /// Stops the thread and waits (up to 2 s) for it to finish its poll.
  public func stop() {
    let wasRunning = lock.withLock {
      let was = !stopped
      stopped = true
      return was
    }
    slurm.stop()
    guard wasRunning, thread != nil else { return }
    notifier.wake()
    _ = finished.wait(timeout: .now() + 2)
  }

  private var isStopped: Bool { lock.withLock { stopped } }

  /// Also watches `root` from the next discovery on (a sweep just launched).
  public func addRoot(_ root: String) {
    lock.withLock { extraRoots.append(root) }
    lock.withLock { discoverNow = true }
    notifier.wake()
  }

  /// Roots added by `addRoot`, and a request to walk them at once (under `lock`).
  private var extraRoots: [String] = []
  private var discoverNow = false

  // MARK: - The watcher thread

  private func loop() {
    var nextDiscovery = 0.0
    var nextLiveness = 0.0
    var nextReconcile = 0.0
    while !isStopped {
      let now = monotonicSeconds()
      var msgs: [Msg] = []
      let (added, urgent) = lock.withLock {
        defer {
          extraRoots = []
          discoverNow = false
        }
        return (extraRoots, discoverNow)
      }
      for root in added where !roots.contains(root) { roots.append(root) }
      var foundNew = false
      if now >= nextDiscovery || urgent {
        let known = Set(tracked.keys)
        foundNew = discover(&msgs)
        nextDiscovery = now + discoveryInterval
        // New runs are listed before any run's metrics are read: a
        // 1000-run folder shows its list at once, charts filling in after.
        for id in order where !known.contains(id) { tracked[id]?.pollManifest(into: &msgs) }
        if foundNew, !msgs.isEmpty {
          send(msgs)
          msgs = []
        }
      }
      let checkLiveness = now >= nextLiveness
      if checkLiveness { nextLiveness = now + livenessInterval }
      var more = false
      var lastSent = monotonicSeconds()
      for id in pollOrder() {
        guard let run = tracked[id] else { continue }
        more = pollOne(run, checkLiveness: checkLiveness, &msgs) || more
        // A long first read goes out in batches, so the screen shows the
        // runs read so far (the charted ones first: `prioritize`).
        if !msgs.isEmpty, monotonicSeconds() - lastSent >= Self.batchSeconds {
          send(msgs)
          msgs = []
          lastSent = monotonicSeconds()
        }
      }
      if !msgs.isEmpty { send(msgs) }
      if now >= nextReconcile || foundNew {
        slurm.schedule(runIDs: order.filter { !isRemote($0) })
        nextReconcile = now + SlurmReconciler.interval
      }
      // A run read only in part (a big file, a slice per poll) is read on at once.
      if more { continue }
      notifier.wait(timeout: notifier.isActive ? max(interval, Self.safetyNetInterval) : interval)
    }
  }

  /// Seconds of reading after which a poll's messages are sent rather than
  /// held for the end of the poll (a first read of many runs).
  static let batchSeconds = 0.05

  /// Runs to read before the others (the ones on the charts), under `lock`.
  private var priority: [String] = []

  /// Reads the runs `ids` before the others from the next poll on: the
  /// dashboard names the runs its charts show, so on a big folder the
  /// cursor's run is charted before the rest are read.
  public func prioritize(_ ids: [String]) {
    lock.withLock { priority = ids }
  }

  /// `order`, with the prioritized runs first.
  private func pollOrder() -> [String] {
    let first = lock.withLock { priority }.filter { tracked[$0] != nil }
    guard !first.isEmpty else { return order }
    let set = Set(first)
    return first + order.filter { !set.contains($0) }
  }

  /// Walks the roots: new runs are added, runs whose directory vanished are
  /// removed. Returns whether any run was added.
  private func discover(_ msgs: inout [Msg]) -> Bool {
    var added = false
    var found: [String: RunSource] = [:]
    for root in roots {
      for source in RunDiscovery.sources(under: root) where found[source.id] == nil {
        found[source.id] = source
      }
    }
    for id in order where found[id] == nil {
      // Gone from the walk: removed only when its directory is really gone
      // (a run being rewritten may miss its run.json for a moment).
      if !FileManager.default.fileExists(atPath: id) {
        tracked[id] = nil
        notifier.unwatch(id)
        msgs.append(.runRemoved(id: id))
      }
    }
    for root in roots { notifier.watch(root) }
    for (id, source) in found.sorted(by: { $0.key < $1.key }) where tracked[id] == nil {
      (source as? NativeRunSource)?.maxBytesPerPoll = sliceBytes
      tracked[id] = RunPoller(source: source, remote: isRemote(id))
      notifier.watch(id)
      added = true
    }
    order = tracked.keys.sorted()
    return added
  }

  /// Bytes of a run's metrics read per poll: a big file arrives in slices,
  /// each merged before the next is read (the app's `send` waits for that),
  /// so opening six 500 MB runs holds their plotted data plus a few slices,
  /// never six files of 64-bit records.
  public let sliceBytes: Int64

  /// One poll of one run (`RunPoller.poll`), or its removal when its
  /// directory is gone. True when its metrics file holds more than was read.
  @discardableResult
  private func pollOne(_ run: RunPoller, checkLiveness: Bool, _ msgs: inout [Msg]) -> Bool {
    let id = run.id
    if !FileManager.default.fileExists(atPath: id) {
      tracked[id] = nil
      notifier.unwatch(id)
      order.removeAll { $0 == id }
      msgs.append(.runRemoved(id: id))
      return false
    }
    return run.poll(checkLiveness: checkLiveness, into: &msgs)
  }
}

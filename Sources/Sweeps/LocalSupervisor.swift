import Foundation
import Processes
import RunLog

/// Drives a sweep on this machine: starts `dpotop train` for each queued run,
/// at most `jobs` at once, and records what happens to each.
///
/// It runs as its own detached process (`dpotop sweep --supervise DIR`), so
/// it outlives the dashboard that launched it. SIGTERM or SIGINT cancel the
/// sweep: no new run starts, running trainers get SIGTERM (they finish their
/// step, checkpoint and mark themselves cancelled), queued runs are marked
/// cancelled. SIGHUP is ignored, and each trainer runs in a process group of
/// its own, so a terminal that hangs up on a foreground `dpotop sweep` stops
/// none of the sweep: every run goes on and finishes. One supervisor per
/// sweep (a lock).
public final class LocalSupervisor {
  private let dir: String
  private let executable: String
  private var manifest: SweepManifest
  private var running: [pid_t: SweepManifest.Run] = [:]
  private var cancelling = false
  /// Where progress lines go (the sweep log, or stdout in the foreground).
  private let say: (String) -> Void

  /// A supervisor for the sweep in `dir`, launching trainers with `executable`.
  public init(dir: String, executable: String, say: @escaping (String) -> Void) throws(SweepError) {
    self.dir = dir
    self.executable = executable
    self.say = say
    manifest = try SweepManifest.read(from: dir)
  }

  /// Runs the sweep to its end; returns 0 when every run finished, 1 otherwise.
  ///
  /// Must be called before any other thread starts: it blocks the signals it
  /// waits for, and threads inherit the mask.
  public func run() throws(SweepError) -> Int32 {
    var signals = sigset_t()
    sigemptyset(&signals)
    for s in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&signals, s) }
    var previousMask = sigset_t()
    pthread_sigmask(SIG_BLOCK, &signals, &previousMask)
    defer { pthread_sigmask(SIG_SETMASK, &previousMask, nil) }

    let lock = try RunLock.take(dir + "/" + SweepManifest.lockName)
    defer { withExtendedLifetime(lock) {} }
    manifest.supervisorPid = getpid()
    manifest.status = "running"
    try manifest.write(to: dir)

    var pending = manifest.runs.filter { run in
      let status = (try? RunDirectory(path: runPath(run)).readManifest().status) ?? .queued
      return status == .queued
    }
    say("sweep \(manifest.name): \(pending.count) runs to train, \(manifest.spec.jobs) at a time")
    while true {
      while !cancelling, running.count < manifest.spec.jobs, !pending.isEmpty {
        let run = pending.removeFirst()
        try start(run)
      }
      if running.isEmpty && (pending.isEmpty || cancelling) { break }
      var timeout = timespec(tv_sec: 0, tv_nsec: 200_000_000)
      let sig = sigtimedwait(&signals, nil, &timeout)
      if sig == SIGTERM || sig == SIGINT, !cancelling {
        cancelling = true
        say("sweep \(manifest.name): cancelling")
        for (pid, _) in running { kill(pid, SIGTERM) }
        for run in pending { markCancelled(run) }
        pending.removeAll()
      }
      reap()
    }
    manifest.supervisorPid = nil
    manifest.status = cancelling ? "cancelled" : "finished"
    try manifest.write(to: dir)
    let statuses = manifest.runs.map {
      (try? RunDirectory(path: runPath($0)).readManifest().status) ?? .failed
    }
    let finished = statuses.filter { $0 == .finished }.count
    say("sweep \(manifest.name): \(manifest.status), \(finished)/\(statuses.count) runs finished")
    return finished == statuses.count ? 0 : 1
  }

  private func runPath(_ run: SweepManifest.Run) -> String { dir + "/" + run.name }

  private func start(_ run: SweepManifest.Run) throws(SweepError) {
    let runDir = RunDirectory(path: runPath(run))
    // A run cancelled while queued (by `dpotop cancel` or the dashboard) is skipped.
    if let m = try? runDir.readManifest(), m.status != .queued { return }
    let pid: pid_t
    do throws(SweepError) {
      let argv = try SweepCreator.argv(manifest, run, runDir: runDir.path, executable: executable)
      do {
        pid = try ProcessLauncher.spawn(argv, logPath: runDir.logPath, mode: .child)
      } catch {
        throw SweepError(error)
      }
    } catch {
      // One run that cannot start (a missing program, bad arguments) fails
      // alone; the sweep goes on with the others.
      if var m = try? runDir.readManifest() {
        m.status = .failed
        m.error = error.description
        m.updatedAt = Date().timeIntervalSince1970
        try? runDir.writeManifest(m)
      }
      say("\(run.name): failed to start: \(error.description)")
      return
    }
    running[pid] = run
    if manifest.command != nil, var m = try? runDir.readManifest() {
      // Another trainer does not write run.json: the supervisor keeps its status.
      m.status = .running
      m.pid = pid
      m.updatedAt = Date().timeIntervalSince1970
      try? runDir.writeManifest(m)
    }
    if let i = manifest.runs.firstIndex(where: { $0.name == run.name }) {
      manifest.runs[i].handle = "pid:\(pid)"
    }
    try manifest.write(to: dir)
    say("started \(run.name) (pid \(pid))")
  }

  /// Collects exited trainers; a trainer that died without recording how
  /// (crash, SIGKILL, bad arguments) gets its run marked failed with the cause.
  private func reap() {
    // Wait for our own trainers by pid, never for "any child": the process
    // may have other children that are not ours to reap.
    for (pid, run) in running {
      var status: Int32 = 0
      guard waitpid(pid, &status, WNOHANG) == pid else { continue }
      running.removeValue(forKey: pid)
      let runDir = RunDirectory(path: runPath(run))
      guard var m = try? runDir.readManifest() else { continue }
      let cause = exitDescription(status)
      if manifest.command != nil, m.status == .running, m.pid == pid {
        // The external trainer's exit status is the only outcome it reports.
        let ok = (status & 0x7F) == 0 && (status >> 8) & 0xFF == 0
        m.status = ok ? .finished : (cancelling ? .cancelled : .failed)
        m.error = ok ? nil : "trainer \(cause)" + lastLines(runDir.logPath)
        m.pid = nil
        m.updatedAt = Date().timeIntervalSince1970
        try? runDir.writeManifest(m)
      } else if m.status == .running || m.status == .queued {
        m.status = .failed
        m.error = "trainer \(cause)" + lastLines(runDir.logPath)
        m.pid = nil
        m.updatedAt = Date().timeIntervalSince1970
        try? runDir.writeManifest(m)
      }
      say("\(run.name): \(m.status.rawValue) (\(cause))")
    }
  }

  private func markCancelled(_ run: SweepManifest.Run) {
    let runDir = RunDirectory(path: runPath(run))
    guard var m = try? runDir.readManifest(), m.status == .queued else { return }
    m.status = .cancelled
    m.error = "cancelled before it started"
    m.updatedAt = Date().timeIntervalSince1970
    try? runDir.writeManifest(m)
  }
}

/// "exited with status 1" / "was killed by signal 9".
func exitDescription(_ status: Int32) -> String {
  let signal = status & 0x7F
  if signal == 0 { return "exited with status \((status >> 8) & 0xFF)" }
  return "was killed by signal \(signal)"
}

/// The last lines of a log, as `: line | line` for an error message.
func lastLines(_ path: String, count: Int = 3) -> String {
  guard let data = try? readWholeFile(path) else { return "" }
  let lines = String(decoding: data.suffix(4096), as: UTF8.self).split(separator: "\n").suffix(
    count)
  return lines.isEmpty ? "" : ": " + lines.joined(separator: " | ")
}

import Foundation

/// Sleeps until something changes in watched directories (Linux inotify),
/// a wake-up is requested, or a timeout passes.
///
/// The run watcher polls on a timer anyway (inotify misses changes on
/// network filesystems, and watches can run out); this only makes it poll
/// at once when a run's files change, so appends reach the screen in about
/// a millisecond instead of half a poll interval. Confined to the watcher
/// thread except `wake()`.
final class DirectoryNotifier: @unchecked Sendable {
  // @unchecked: `watched` is touched only by the watcher thread; the pipe's
  // descriptors and `fd` are immutable.
  private let fd: Int32
  /// A self-pipe for `wake()` (read end, write end; -1 when none could be
  /// made). Its own rather than the terminal's `WakePipe`: Live knows no terminal.
  private let wakeRead: Int32
  private let wakeWrite: Int32
  private var watched: [String: Int32] = [:]

  /// A notifier; without inotify (`inotify: false`, or out of descriptors)
  /// it only times out and wakes.
  init(inotify: Bool = true) {
    fd = inotify ? inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC)) : -1
    var fds: [Int32] = [-1, -1]
    if pipe(&fds) == 0 {
      // Non-blocking both ends: a full pipe means a wake-up is already pending.
      for end in fds {
        _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
        _ = fcntl(end, F_SETFD, FD_CLOEXEC)
      }
    }
    wakeRead = fds[0]
    wakeWrite = fds[1]
  }

  deinit {
    if fd >= 0 { close(fd) }
    if wakeRead >= 0 { close(wakeRead) }
    if wakeWrite >= 0 { close(wakeWrite) }
  }

  /// Whether changes are noticed at all (else `wait` is a plain timeout).
  var isActive: Bool { fd >= 0 }

  /// Watches `path` (a directory) for files written, created, moved or deleted.
  func watch(_ path: String) {
    guard fd >= 0, watched[path] == nil else { return }
    let mask =
      UInt32(IN_MODIFY) | UInt32(IN_CLOSE_WRITE) | UInt32(IN_CREATE) | UInt32(IN_MOVED_TO)
      | UInt32(IN_MOVED_FROM) | UInt32(IN_DELETE) | UInt32(IN_DELETE_SELF) | UInt32(IN_ATTRIB)
    let wd = inotify_add_watch(fd, path, mask)
    if wd >= 0 { watched[path] = wd }
  }

  /// Stops watching `path` (its run went away).
  func unwatch(_ path: String) {
    guard let wd = watched.removeValue(forKey: path) else { return }
    inotify_rm_watch(fd, wd)
  }

  /// Wakes a `wait` in progress (any thread).
  func wake() {
    guard wakeWrite >= 0 else { return }
    var b: UInt8 = 1
    _ = write(wakeWrite, &b, 1)
  }

  /// Sleeps up to `timeout` seconds; returns true when a watched directory changed.
  @discardableResult
  func wait(timeout: Double) -> Bool {
    var fds: [pollfd] = []
    if fd >= 0 { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
    if wakeRead >= 0 { fds.append(pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)) }
    let ms = Int32(clamping: Int((timeout * 1000).rounded(.up)))
    guard !fds.isEmpty else {
      usleep(UInt32(max(0, ms)) * 1000)
      return false
    }
    let r = poll(&fds, nfds_t(fds.count), ms)
    guard r > 0 else { return false }
    if wakeRead >= 0 {
      var drained = [UInt8](repeating: 0, count: 256)
      while read(wakeRead, &drained, drained.count) > 0 {}
    }
    guard fd >= 0, fds[0].revents != 0 else { return false }
    // The events themselves do not matter: every run is polled after a change.
    var buffer = [UInt8](repeating: 0, count: 8192)
    while read(fd, &buffer, buffer.count) > 0 {}
    return true
  }
}

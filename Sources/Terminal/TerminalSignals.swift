import Glibc

// State the signal handlers read. Signal handlers cannot take context, so
// this lives in globals; it is written only on the main thread before the
// handlers are installed (or after they are removed), and the handlers only
// call async-signal-safe functions (write, tcsetattr, _exit, raise).
nonisolated(unsafe) private var wakeWriteFD: Int32 = -1
// The saved tty settings live on the heap: a global `termios` is laid out
// by Swift with its size (57 bytes), but copying one in moves its stride
// (60), three bytes past the global (AddressSanitizer: global-buffer-overflow).
// An allocation is a whole stride.
nonisolated(unsafe) private let savedTermios: UnsafeMutablePointer<termios> = {
  let p = UnsafeMutablePointer<termios>.allocate(capacity: 1)
  p.initialize(to: termios())
  return p
}()
nonisolated(unsafe) private var haveSavedTermios = false
nonisolated(unsafe) private var restoreBytesPointer: UnsafeMutablePointer<UInt8>?
nonisolated(unsafe) private var restoreBytesCount = 0
nonisolated(unsafe) private var screenActive: Int32 = 0
nonisolated(unsafe) private var pendingQuit: Int32 = 0
nonisolated(unsafe) private var crashSignal: Int32 = 0
// Heap, like the tty settings: libc writes a whole `struct sigaction` here.
nonisolated(unsafe) private let previousWinch: UnsafeMutablePointer<sigaction> = {
  let p = UnsafeMutablePointer<sigaction>.allocate(capacity: 1)
  p.initialize(to: sigaction())
  return p
}()
// The handlers that were installed before ours (the Swift runtime's crash
// backtracer, for one), by signal number: a crash handler puts them back.
nonisolated(unsafe) private var previousActions = UnsafeMutablePointer<sigaction>.allocate(
  capacity: 65)

/// Signal handling for a full-screen terminal: quit signals become a
/// message for the app loop (so teardown runs on the main thread, where
/// ncurses lives), a second quit signal or a crash restores the terminal
/// from the handler itself, and window-size changes wake the loop.
enum TerminalSignals {
  /// Signals that ask dpotop to quit.
  static let quitSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
  /// Signals that mean a crash: restore the tty, then die as the signal would.
  static let crashSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE]

  /// True once a crash signal arrived: the screen was restored from the
  /// handler, and nothing may draw on it again.
  static var crashed: Bool { crashSignal != 0 }

  /// The quit signal received, if any (0: none).
  static var receivedQuit: Int32 { pendingQuit }

  /// Remembers the tty settings and the bytes that undo full-screen mode,
  /// so a handler can restore the terminal without ncurses.
  static func prepareRestore(termios t: termios?, bytes: [UInt8]) {
    if let t {
      savedTermios.pointee = t
      haveSavedTermios = true
    }
    restoreBytesPointer?.deallocate()
    let p = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, bytes.count))
    p.initialize(from: bytes, count: bytes.count)
    restoreBytesPointer = p
    restoreBytesCount = bytes.count
  }

  /// Installs the handlers; `wakeFD` gets one byte per signal.
  static func install(wakeFD: Int32) {
    wakeWriteFD = wakeFD
    pendingQuit = 0
    screenActive = 1
    for s in quitSignals { setHandler(s, quitHandler, flags: 0) }
    // A parent may have started us with these blocked (signal masks are
    // inherited): unblock them, or Ctrl-C and window resizes would be lost.
    var unblock = sigset_t()
    sigemptyset(&unblock)
    for s in quitSignals + [SIGWINCH] { sigaddset(&unblock, s) }
    pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    for s in crashSignals {
      setHandler(s, crashHandler, flags: 0, saving: previousActions.advanced(by: Int(s)))
    }
    // Chain to ncurses' own SIGWINCH handler (it turns the signal into
    // KEY_RESIZE) and wake the loop so the resize is seen at once.
    var action = sigaction()
    action.__sigaction_handler.sa_handler = winchHandler
    sigemptyset(&action.sa_mask)
    action.sa_flags = Int32(SA_RESTART)
    sigaction(SIGWINCH, &action, previousWinch)
  }

  /// Puts back default handling (after the terminal was restored normally).
  static func uninstall() {
    screenActive = 0
    for s in quitSignals { signal(s, SIG_DFL) }
    for s in crashSignals { sigaction(s, previousActions.advanced(by: Int(s)), nil) }
    sigaction(SIGWINCH, previousWinch, nil)
    wakeWriteFD = -1
  }

  /// Marks the screen restored, so a late handler does not write the restore bytes again.
  static func markRestored() { screenActive = 0 }

  private static func setHandler(
    _ sig: Int32, _ handler: @convention(c) (Int32) -> Void, flags: Int32,
    saving previous: UnsafeMutablePointer<sigaction>? = nil
  ) {
    var action = sigaction()
    action.__sigaction_handler.sa_handler = handler
    sigemptyset(&action.sa_mask)
    action.sa_flags = flags
    sigaction(sig, &action, previous)
  }

  /// Writes the restore bytes and the saved tty settings (async-signal-safe).
  static func emergencyRestore() {
    guard screenActive != 0 else { return }
    screenActive = 0
    if let p = restoreBytesPointer, restoreBytesCount > 0 {
      _ = write(STDOUT_FILENO, p, restoreBytesCount)
    }
    if haveSavedTermios { _ = tcsetattr(STDIN_FILENO, TCSANOW, savedTermios) }
  }
}

private func wake(_ byte: UInt8) {
  guard wakeWriteFD >= 0 else { return }
  var b = byte
  _ = write(wakeWriteFD, &b, 1)
}

private func quitHandler(_ sig: Int32) {
  if pendingQuit != 0 {
    // The loop did not get to it (stuck?): restore the terminal here and go.
    TerminalSignals.emergencyRestore()
    _exit(128 + sig)
  }
  pendingQuit = sig
  wake(UInt8(truncatingIfNeeded: sig))
}

private func crashHandler(_ sig: Int32) {
  crashSignal = sig
  TerminalSignals.emergencyRestore()
  // Put back the handler from before (the Swift backtracer, or the default)
  // and re-raise: the signal is blocked until this handler returns, then
  // that handler reports the crash (or the default action ends the process).
  sigaction(sig, previousActions.advanced(by: Int(sig)), nil)
  raise(sig)
}

private func winchHandler(_ sig: Int32) {
  if let previous = previousWinch.pointee.__sigaction_handler.sa_handler,
    unsafeBitCast(previous, to: Int.self) > 1  // not SIG_DFL (0) or SIG_IGN (1)
  {
    previous(sig)
  }
  wake(0)
}

import CNcurses
import Dashboard
import Glibc

/// The terminal, through ncursesw: the only code in dpotop that calls ncurses.
///
/// It sets the terminal up for full-screen drawing, maps theme colours onto
/// what the terminal can show, draws `CellGrid`s (writing only cells that
/// changed since the last frame), and turns input into `TerminalEvent`s.
/// `stop()` restores the terminal; it is also restored on quit signals (via
/// the app loop), on crashes (from the signal handler) and at exit.
/// Main actor only: ncurses is not thread-safe.
@MainActor
public final class Terminal {
  /// Current size in cells.
  public private(set) var width = 0
  public private(set) var height = 0
  /// Whether the locale's character set is UTF-8 (otherwise ASCII only).
  public let isUTF8: Bool
  /// The colour depth in use.
  public private(set) var depth: ColorDepth = .none
  /// What `$TERM` says, for the status line.
  public let termName: String
  /// Whether mouse reports were asked for (see `init`).
  public private(set) var mouseEnabled = false

  private var mapping: ColorMapping
  private var previous: CellGrid?
  private var decoder: KeyDecoder
  private let wake: WakePipe
  private var active = false
  private var defaultColors = false
  private var pairLimit = 0
  private var screen: OpaquePointer?

  /// Takes over the terminal. Fails (leaving it untouched) when stdin or
  /// stdout is not a terminal or `$TERM` is unknown.
  ///
  /// - Parameters:
  ///   - theme: the colours to start with.
  ///   - noColor: draw without colour (`NO_COLOR`), whatever the terminal can do.
  ///   - wake: the pipe other threads and signal handlers use to wake `wait`.
  ///   - mouse: ask for mouse reports, where the terminal's terminfo says it
  ///     sends them (`kmous`: xterm, tmux, screen; not vt100 or the console).
  public init(theme: Theme, noColor: Bool, wake: WakePipe, mouse: Bool = true)
    throws(TerminalError)
  {
    self.wake = wake
    self.termName = getenv("TERM").map { String(cString: $0) } ?? ""
    guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
      throw TerminalError(
        "the dashboard needs a terminal (stdin and stdout are not both a tty); "
          + "use 'dpotop render' or 'dpotop summary' for text output")
    }
    setlocale(LC_ALL, "")
    isUTF8 = Self.localeIsUTF8()
    var saved = termios()
    let haveSaved = tcgetattr(STDIN_FILENO, &saved) == 0
    decoder = KeyDecoder(codes: Self.ncursesCodes)
    mapping = ColorMapping(theme: theme, depth: .none)

    guard let output = fdopen(dup(STDOUT_FILENO), "w"), let input = fdopen(dup(STDIN_FILENO), "r")
    else { throw TerminalError("cannot open the terminal's streams") }
    guard let screen = newterm(nil, output, input) else {
      throw TerminalError(
        "terminal type '\(termName)' is unknown to ncurses; try TERM=xterm-256color")
    }
    self.screen = screen
    set_term(screen)
    active = true
    mouseEnabled = mouse && Self.terminalReportsMouse()
    TerminalSignals.prepareRestore(
      termios: haveSaved ? saved : nil,
      bytes: Self.restoreSequence() + (mouseEnabled ? Self.mouseOff : []))
    TerminalSignals.install(wakeFD: wake.writeFD)
    Self.registerAtExit()

    cbreak()
    noecho()
    nonl()
    intrflush(cn_stdscr(), false)
    keypad(cn_stdscr(), true)
    nodelay(cn_stdscr(), true)
    set_escdelay(25)
    curs_set(0)
    if has_colors() {
      start_color()
      defaultColors = use_default_colors() == CN_OK
      pairLimit = Int(cn_color_pairs())
    }
    depth = ColorDepth.detect(
      colors: Int(cn_colors()), hasColors: has_colors(), direct: tigetflag("RGB") > 0,
      noColor: noColor)
    setTheme(theme)
    updateSize()
    if mouseEnabled { startMouse() }
  }

  /// Restores the terminal (idempotent).
  public func stop() {
    guard active else { return }
    active = false
    if TerminalSignals.crashed { return }
    curs_set(1)
    endwin()
    if mouseEnabled { writeToTerminal(Self.mouseOff) }
    TerminalSignals.markRestored()
    TerminalSignals.uninstall()
  }

  /// The quit signal that arrived (SIGINT, SIGTERM, SIGHUP), or nil.
  public var quitSignal: Int32? {
    let s = TerminalSignals.receivedQuit
    return s == 0 ? nil : s
  }

  /// Switches colours; the next `draw` repaints everything.
  public func setTheme(_ theme: Theme) {
    mapping = ColorMapping(theme: theme, depth: depth, defaultColors: defaultColors)
    for (i, pair) in mapping.pairs.enumerated() where i + 1 < pairLimit {
      init_extended_pair(Int32(i + 1), Int32(pair.fg), Int32(pair.bg))
    }
    previous = nil
  }

  // MARK: - Drawing

  /// Draws `grid` at the top-left, writing only the cells that changed.
  public func draw(_ grid: CellGrid) {
    // After a crash signal the handler gave the screen back; other threads
    // may still run for a moment while the crash is reported: draw nothing.
    guard active, !TerminalSignals.crashed else { return }
    let full = previous.map { $0.width != grid.width || $0.height != grid.height } ?? true
    if full { werase(cn_stdscr()) }
    let w = min(grid.width, width)
    let h = min(grid.height, height)
    var wchars = [wchar_t](repeating: 0, count: 6)
    var cchar = cchar_t()
    for y in 0..<h {
      var x = 0
      while x < w {
        let cell = grid[x, y]
        let next = grid[x + 1, y]
        if !full, let previous, previous[x, y] == cell, previous[x + 1, y] == next {
          x += 1
          continue
        }
        if cell.char == Cell.continuationChar {
          // The right half of a wide character written just before; a stray
          // one (no wide character to its left) shows as a blank.
          if x == 0 || !isWide(grid[x - 1, y].char) { put(" ", cell.style, x, y, &wchars, &cchar) }
          x += 1
          continue
        }
        var char = cell.char
        if isWide(char) && (next.char != Cell.continuationChar || x + 1 >= w) {
          char = "?"  // A wide character without room: keep the grid aligned.
        }
        put(char, cell.style, x, y, &wchars, &cchar)
        x += 1
      }
    }
    wnoutrefresh(cn_stdscr())
    doupdate()
    previous = grid
  }

  /// Forgets the last frame, so the next `draw` repaints every cell.
  public func invalidate() { previous = nil }

  private func isWide(_ char: Character) -> Bool {
    guard isUTF8, let s = char.unicodeScalars.first, s.value >= 0x1100 else { return false }
    return cn_wcwidth(wchar_t(bitPattern: s.value)) == 2
  }

  private func put(
    _ char: Character, _ style: Style, _ x: Int, _ y: Int, _ wchars: inout [wchar_t],
    _ cchar: inout cchar_t
  ) {
    let (pair, flags) = mapping.resolve(style)
    let usablePair = pair < pairLimit ? pair : 0
    var attrs = cn_a_normal()
    if flags.contains(.bold) { attrs |= cn_a_bold() }
    if flags.contains(.dim) { attrs |= cn_a_dim() }
    if flags.contains(.reverse) { attrs |= cn_a_reverse() }
    if flags.contains(.underline) { attrs |= cn_a_underline() }
    switch Glyph.of(char, utf8: isUTF8) {
    case .lineDrawing(let letter):
      mvwaddch(
        cn_stdscr(), Int32(y), Int32(x), cn_acs(letter) | attrs | cn_color_pair(Int32(usablePair)))
    case .scalars(let scalars):
      var scalars = scalars
      if let first = scalars.first, first >= 0x300, cn_wcwidth(wchar_t(bitPattern: first)) < 1 {
        scalars = [0x3F]  // A lone combining mark or unprintable: nothing to combine with.
      }
      for i in 0..<wchars.count {
        wchars[i] = i < scalars.count ? wchar_t(bitPattern: scalars[i]) : 0
      }
      _ = cn_setcchar(&cchar, wchars, attrs, Int32(usablePair))
      mvwadd_wch(cn_stdscr(), Int32(y), Int32(x), &cchar)
    }
  }

  // MARK: - Input

  /// Reads every key waiting (never blocks, except up to 30 ms to complete
  /// an escape sequence that has started).
  public func readEvents() -> [TerminalEvent] {
    guard active else { return [] }
    var out = readAvailable()
    if decoder.isPending {
      if waitForStdin(timeoutMs: 30) { out += readAvailable() }
      if decoder.isPending { out += decoder.flush() }
    }
    for e in out where e == .resize { updateSize() }
    return out
  }

  private func readAvailable() -> [TerminalEvent] {
    var out: [TerminalEvent] = []
    var ch: wint_t = 0
    for _ in 0..<4096 {
      let r = wget_wch(cn_stdscr(), &ch)
      if r == CN_KEY_CODE_YES {
        out += decoder.feed(.code(Int32(bitPattern: ch)))
      } else if r == CN_OK {
        out += decoder.feed(.scalar(UInt32(ch)))
      } else {
        break
      }
    }
    return out
  }

  /// Sleeps until a key arrives, the wake pipe is written, a signal comes,
  /// or `timeoutMs` passes (-1: no limit). Returns true when input is waiting.
  @discardableResult
  public func wait(timeoutMs: Int) -> Bool {
    var fds = [
      pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
      pollfd(fd: wake.readFD, events: Int16(POLLIN), revents: 0),
    ]
    let r = poll(&fds, 2, Int32(clamping: timeoutMs))
    if r > 0 && fds[1].revents != 0 { wake.drain() }
    return r > 0 && fds[0].revents != 0
  }

  private func waitForStdin(timeoutMs: Int) -> Bool {
    var fd = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
    return poll(&fd, 1, Int32(timeoutMs)) > 0
  }

  private func updateSize() {
    height = Int(getmaxy(cn_stdscr()))
    width = Int(getmaxx(cn_stdscr()))
    previous = nil
  }

  // MARK: - Mouse

  /// Button presses and releases (1000), drags (1002), SGR coordinates (1006).
  static let mouseOn = Array("\u{1B}[?1000h\u{1B}[?1002h\u{1B}[?1006h".utf8)
  static let mouseOff = Array("\u{1B}[?1006l\u{1B}[?1002l\u{1B}[?1000l".utf8)

  /// Whether terminfo knows a mouse report (`kmous`) for this terminal.
  private static func terminalReportsMouse() -> Bool {
    guard let s = tigetstr("kmous"), Int(bitPattern: s) != -1 else { return false }
    return s.pointee != 0
  }

  /// Turns mouse reports on. ncurses' own mouse support is left off and its
  /// `kmous` key unmatched (`keyok`), so every report reaches `KeyDecoder`
  /// whole: ncurses would read only the dialect its terminfo names (X10 for
  /// `screen`, so no columns past 223) and no drags without motion events.
  private func startMouse() {
    _ = keyok(KEY_MOUSE, false)
    writeToTerminal(Self.mouseOn)
  }

  /// Writes `bytes` to the terminal directly (ncurses' output is flushed by then).
  private func writeToTerminal(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { raw in
      var done = 0
      while done < raw.count {
        let n = write(STDOUT_FILENO, raw.baseAddress! + done, raw.count - done)
        if n <= 0 { break }
        done += n
      }
    }
  }

  // MARK: - Setup helpers

  /// The key codes this ncurses build uses.
  nonisolated static var ncursesCodes: KeyDecoder.Codes {
    var c = KeyDecoder.Codes()
    c.up = CN_KEY_UP
    c.down = CN_KEY_DOWN
    c.left = CN_KEY_LEFT
    c.right = CN_KEY_RIGHT
    c.home = CN_KEY_HOME
    c.end = CN_KEY_END
    c.backspace = CN_KEY_BACKSPACE
    c.f0 = CN_KEY_F0
    c.delete = CN_KEY_DC
    c.pageDown = CN_KEY_NPAGE
    c.pageUp = CN_KEY_PPAGE
    c.enter = CN_KEY_ENTER
    c.backTab = CN_KEY_BTAB
    c.resize = CN_KEY_RESIZE
    return c
  }

  /// Whether the current locale's character set is UTF-8.
  nonisolated public static func localeIsUTF8() -> Bool {
    guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
    let name = String(cString: codeset).uppercased()
    return name == "UTF-8" || name == "UTF8"
  }

  /// The terminfo strings that leave full-screen mode (alternate screen,
  /// hidden cursor, attributes, keypad mode), for the signal handler.
  static func restoreSequence() -> [UInt8] {
    var bytes: [UInt8] = []
    for cap in ["sgr0", "rmcup", "cnorm", "rmkx"] {
      guard let s = tigetstr(cap), Int(bitPattern: s) != -1 else { continue }
      bytes += Array(String(cString: s).utf8)
    }
    return bytes
  }

  private static var atExitRegistered = false

  private static func registerAtExit() {
    guard !atExitRegistered else { return }
    atExitRegistered = true
    atexit { TerminalSignals.emergencyRestore() }
  }
}

import Dashboard

/// What the terminal reports: a key, a mouse event, or that its size changed.
public enum TerminalEvent: Sendable, Equatable {
  case key(Key)
  case mouse(MouseEvent)
  case resize
}

/// Turns terminal input into `Key`s: ncurses function-key codes, raw escape
/// sequences (for terminals whose terminfo lacks them, or keys ncurses did
/// not match), control bytes and Unicode scalars; and xterm's mouse reports
/// (SGR 1006 and X10, `MouseDecoding.swift`) into `MouseEvent`s.
///
/// Pure and streaming: input can arrive in any split and decodes the same;
/// `flush()` is called when input went quiet, to finish a lone ESC or a cut
/// sequence. No ncurses here, so tests and the fuzzer drive it directly.
public struct KeyDecoder: Sendable {
  /// One unit of terminal input.
  public enum Input: Sendable, Equatable {
    /// A function-key code from `wget_wch` (`KEY_CODE_YES`).
    case code(Int32)
    /// A character (Unicode scalar value) from `wget_wch`.
    case scalar(UInt32)
  }

  /// The ncurses key codes the decoder understands.
  ///
  /// The defaults are the values in ncurses' curses.h (the same on every
  /// platform ncurses supports); `Terminal` passes the ones the shim exports,
  /// and a test checks that the two agree.
  public struct Codes: Sendable, Equatable {
    public var up: Int32 = 0o403
    public var down: Int32 = 0o402
    public var left: Int32 = 0o404
    public var right: Int32 = 0o405
    public var home: Int32 = 0o406
    public var backspace: Int32 = 0o407
    public var f0: Int32 = 0o410
    public var delete: Int32 = 0o512
    public var pageDown: Int32 = 0o522
    public var pageUp: Int32 = 0o523
    public var enter: Int32 = 0o527
    public var backTab: Int32 = 0o541
    public var end: Int32 = 0o550
    public var resize: Int32 = 0o632

    /// The standard ncurses values.
    public init() {}
  }

  /// Longest escape sequence kept before it is given up as unknown (an SGR
  /// mouse report at 4-digit coordinates takes 16).
  static let maxSequence = 24

  private let codes: Codes
  /// Scalars of an escape sequence in progress (starting with ESC), if any.
  private var pending: [UInt32] = []

  /// A decoder for ncurses key codes `codes`.
  public init(codes: Codes = Codes()) {
    self.codes = codes
  }

  /// True while a sequence has started and more input may complete it.
  public var isPending: Bool { !pending.isEmpty }

  /// Decodes one unit of input; returns the events it completes (often none or one).
  public mutating func feed(_ input: Input) -> [TerminalEvent] {
    switch input {
    case .code(let code):
      // A function key ends any sequence in progress: report what was held.
      var out = flush()
      out.append(decode(code: code))
      return out
    case .scalar(let s):
      return feed(scalar: s)
    }
  }

  /// Decodes a batch of input.
  public mutating func feed(_ inputs: [Input]) -> [TerminalEvent] {
    var out: [TerminalEvent] = []
    for i in inputs { out += feed(i) }
    return out
  }

  /// Input went quiet: a held lone ESC is the Escape key; a cut sequence is
  /// reported as Escape plus whatever keys its remaining characters are.
  public mutating func flush() -> [TerminalEvent] {
    guard !pending.isEmpty else { return [] }
    let held = pending
    pending = []
    // A cut mouse report is dropped: replaying its bytes as keys would press
    // whatever its coordinates spell (`q` quits).
    if Self.isMouseStart(held) { return [] }
    var out: [TerminalEvent] = [.key(.escape)]
    for s in held.dropFirst() { out += feed(scalar: s) }
    // A cut sequence's tail could start another ESC; finish that too.
    if !pending.isEmpty { out += flush() }
    return out
  }

  // MARK: - Scalars and escape sequences

  private mutating func feed(scalar s: UInt32) -> [TerminalEvent] {
    if pending.isEmpty {
      if s == 0x1B {
        pending = [s]
        return []
      }
      return [.key(plain(s))]
    }
    // Inside a sequence.
    if pending.count == 1 {
      // ESC then: '[' (CSI) or 'O' (SS3) start a sequence; ESC ESC is one
      // Escape and a new sequence; anything else is Escape then that key
      // (Alt+key arrives like this).
      if s == 0x5B || s == 0x4F {
        pending.append(s)
        return []
      }
      pending = []
      if s == 0x1B {
        pending = [s]
        return [.key(.escape)]
      }
      return [.key(.escape), .key(plain(s))]
    }
    pending.append(s)
    let introducer = pending[1]
    if introducer == 0x4F {
      // SS3: exactly one final character.
      pending = []
      return [.key(ss3(s))]
    }
    // X10 mouse: ESC [ M and three raw bytes (button, column, row).
    if pending.count >= 3 && pending[2] == 0x4D {
      guard pending.count == 6 else { return [] }
      let report = Array(pending[3...])
      pending = []
      return Self.x10Mouse(report).map { [.mouse($0)] } ?? []
    }
    // CSI: parameters 0x30...0x3F, intermediates 0x20...0x2F, final 0x40...0x7E.
    // The Linux console sends ESC [ [ A...E for F1...F5.
    if pending.count == 3 && s == 0x5B { return [] }
    if pending.count == 4 && pending[2] == 0x5B {
      pending = []
      if (0x41...0x45).contains(s) { return [.key(.function(Int(s) - 0x40))] }
      return [.key(.unknown)]
    }
    if (0x40...0x7E).contains(s) {
      let params = Array(pending[2..<(pending.count - 1)])
      pending = []
      if params.first == 0x3C {
        return Self.sgrMouse(params: params.dropFirst(), final: s).map { [.mouse($0)] } ?? []
      }
      return [.key(csi(params: params, final: s))]
    }
    if (0x20...0x3F).contains(s) && pending.count < Self.maxSequence { return [] }
    // Not a valid sequence byte, or too long: drop the sequence.
    pending = []
    return [.key(.unknown)]
  }

  /// The key for a scalar outside any escape sequence.
  private func plain(_ s: UInt32) -> Key {
    switch s {
    case 0x0D, 0x0A: return .enter
    case 0x09: return .tab
    case 0x08, 0x7F: return .backspace
    case 0x1B: return .escape
    case 0x01...0x1A: return .ctrl(Character(Unicode.Scalar(UInt8(0x60 + s))))
    case 0x00, 0x1C...0x1F, 0x80...0x9F: return .unknown
    default:
      guard let scalar = Unicode.Scalar(s) else { return .unknown }
      return .char(Character(scalar))
    }
  }

  /// The key for `ESC O x`.
  private func ss3(_ s: UInt32) -> Key {
    switch s {
    case 0x41: return .up
    case 0x42: return .down
    case 0x43: return .right
    case 0x44: return .left
    case 0x48: return .home
    case 0x46: return .end
    case 0x4D: return .enter
    case 0x50...0x53: return .function(Int(s) - 0x50 + 1)
    default: return .unknown
    }
  }

  /// The key for `ESC [ params final`.
  private func csi(params: [UInt32], final: UInt32) -> Key {
    // Only the first parameter matters ("1;5A" is Ctrl+Up: still Up).
    var first = 0
    var digits = 0
    for p in params {
      if p == 0x3B { break }
      guard (0x30...0x39).contains(p) else { return .unknown }
      first = first * 10 + Int(p - 0x30)
      digits += 1
      if digits > 4 { return .unknown }
    }
    switch final {
    case 0x41: return .up
    case 0x42: return .down
    case 0x43: return .right
    case 0x44: return .left
    case 0x48: return .home
    case 0x46: return .end
    case 0x5A: return .backTab
    case 0x50...0x53 where first <= 1: return .function(Int(final) - 0x50 + 1)
    case 0x7E:
      switch first {
      case 1, 7: return .home
      case 4, 8: return .end
      case 3: return .delete
      case 5: return .pageUp
      case 6: return .pageDown
      case 11...15: return .function(first - 10)
      case 17...21: return .function(first - 11)
      case 23, 24: return .function(first - 12)
      default: return .unknown
      }
    default: return .unknown
    }
  }

  // MARK: - ncurses key codes

  private func decode(code: Int32) -> TerminalEvent {
    switch code {
    case codes.resize: return .resize
    case codes.up: return .key(.up)
    case codes.down: return .key(.down)
    case codes.left: return .key(.left)
    case codes.right: return .key(.right)
    case codes.home: return .key(.home)
    case codes.end: return .key(.end)
    case codes.pageUp: return .key(.pageUp)
    case codes.pageDown: return .key(.pageDown)
    case codes.backspace: return .key(.backspace)
    case codes.delete: return .key(.delete)
    case codes.enter: return .key(.enter)
    case codes.backTab: return .key(.backTab)
    case (codes.f0 + 1)...(codes.f0 + 12): return .key(.function(Int(code - codes.f0)))
    default: return .key(.unknown)
    }
  }
}

import Dashboard

/// xterm's mouse reports, as the terminal sends them once `Terminal` turned
/// on button and drag tracking (modes 1000, 1002) with SGR coordinates (1006):
///
/// - SGR 1006: `ESC [ < b ; x ; y M` (press, drag, wheel) or `... m`
///   (release), decimal, 1-based: any column, and releases say which button.
/// - X10 / normal: `ESC [ M` then three bytes `32 + b`, `32 + x`, `32 + y`;
///   what a terminal without 1006 sends (tmux under TERM=screen, old xterms).
///   Columns past 223 cannot be said; a 1005 terminal's UTF-8 coordinates
///   arrive as one scalar each and decode the same.
///
/// `b`: the low two bits are the button (0 left, 1 middle, 2 right, 3
/// release in X10), +4 shift, +8 meta, +16 ctrl (ignored), +32 motion,
/// +64 wheel (0 up, 1 down).
extension KeyDecoder {
  /// Whether held input is the start of a mouse report (`ESC [ M`, `ESC [ <`).
  static func isMouseStart(_ held: [UInt32]) -> Bool {
    held.count >= 3 && held[1] == 0x5B && (held[2] == 0x4D || held[2] == 0x3C)
  }

  /// The event of an X10 report's three bytes; nil for what the dashboard
  /// does not use (pointer motion without a button, side wheels, buttons 4+).
  static func x10Mouse(_ bytes: [UInt32]) -> MouseEvent? {
    guard bytes.count == 3, bytes.allSatisfy({ $0 >= 32 }) else { return nil }
    let x = Int(bytes[1]) - 33
    let y = Int(bytes[2]) - 33
    guard x >= 0, y >= 0 else { return nil }
    return event(code: Int(bytes[0]) - 32, released: false, x: x, y: y)
  }

  /// The event of an SGR report: `params` after the `<`, `final` M or m.
  static func sgrMouse(params: ArraySlice<UInt32>, final: UInt32) -> MouseEvent? {
    guard final == 0x4D || final == 0x6D else { return nil }
    var numbers: [Int] = [0]
    for p in params {
      if p == 0x3B {
        numbers.append(0)
        continue
      }
      guard (0x30...0x39).contains(p), numbers[numbers.count - 1] < 100_000 else { return nil }
      numbers[numbers.count - 1] = numbers[numbers.count - 1] * 10 + Int(p - 0x30)
    }
    guard numbers.count == 3, numbers[1] >= 1, numbers[2] >= 1 else { return nil }
    return event(code: numbers[0], released: final == 0x6D, x: numbers[1] - 1, y: numbers[2] - 1)
  }

  private static func event(code: Int, released: Bool, x: Int, y: Int) -> MouseEvent? {
    guard code < 128 else { return nil }  // buttons 8-11
    let low = code & 3
    let button: MouseEvent.Button = [.left, .middle, .right, .none][low]
    if code & 64 != 0 {
      guard !released, low < 2 else { return nil }  // wheel left/right
      return MouseEvent(low == 0 ? .wheelUp : .wheelDown, button: .none, x: x, y: y)
    }
    if released { return MouseEvent(.release, button: button, x: x, y: y) }
    if code & 32 != 0 {
      guard button != .none else { return nil }  // motion with no button held
      return MouseEvent(.drag, button: button, x: x, y: y)
    }
    if button == .none { return MouseEvent(.release, button: .none, x: x, y: y) }
    return MouseEvent(.press, button: button, x: x, y: y)
  }
}

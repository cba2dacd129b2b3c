/// A mouse event, decoded by the terminal layer from the escape sequences
/// xterm-like terminals send (SGR 1006 or X10). The dashboard hit-tests it
/// against its own layout; it never sees escape sequences.
public struct MouseEvent: Sendable, Hashable {
  /// What happened.
  public enum Action: Sendable, Hashable {
    /// A button went down.
    case press
    /// A button came up (X10 does not say which: `button` is then `.none`).
    case release
    /// The pointer moved with a button held.
    case drag
    /// The wheel turned away from the user (up) or towards them (down).
    case wheelUp, wheelDown
  }

  public enum Button: Sendable, Hashable {
    case left, middle, right, none
  }

  public var action: Action
  public var button: Button
  /// The cell under the pointer, 0-based from the top-left.
  public var x: Int
  public var y: Int

  public init(_ action: Action, button: Button = .left, x: Int, y: Int) {
    self.action = action
    self.button = button
    self.x = x
    self.y = y
  }
}

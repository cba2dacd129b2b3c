/// A key press, decoded by the terminal layer from ncurses codes and escape
/// sequences. The dashboard only ever sees these.
public enum Key: Sendable, Hashable {
  case char(Character)
  /// Ctrl + a letter (`ctrl("c")`).
  case ctrl(Character)
  case up, down, left, right
  case pageUp, pageDown, home, end
  case enter, tab, backTab, backspace, delete, escape
  /// Function key F1...F12.
  case function(Int)
  /// A sequence the decoder did not recognise (shown in debug, otherwise ignored).
  case unknown
}

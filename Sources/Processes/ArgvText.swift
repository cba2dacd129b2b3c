/// Splits one line of typed text into arguments the way a user expects from
/// a shell, without ever handing anything to a shell: whitespace separates,
/// single quotes keep everything literally, double quotes keep spaces (a
/// backslash inside them escapes the next character), and a backslash
/// outside quotes escapes the next character.
///
/// Used for the form's "slurm args" field; `join` writes a list back in a
/// form `split` reads to the same list.
public enum ArgvText {
  /// The arguments in `text`, or an error naming `field` (unclosed quote, trailing backslash).
  public static func split(_ text: String, field: String) throws(ProcessError) -> [String] {
    var args: [String] = []
    var current = ""
    var inArg = false
    var quote: Character?
    var escaped = false
    for c in text {
      if escaped {
        current.append(c)
        escaped = false
        continue
      }
      switch (quote, c) {
      case ("'", "'"), ("\"", "\""):
        quote = nil
      case ("'", _):
        current.append(c)
      case ("\"", "\\"), (nil, "\\"):
        escaped = true
        inArg = true
      case ("\"", _):
        current.append(c)
      case (nil, "'"), (nil, "\""):
        quote = c
        inArg = true
      case (nil, _) where c.isWhitespace:
        if inArg { args.append(current) }
        current = ""
        inArg = false
      default:
        current.append(c)
        inArg = true
      }
    }
    if let quote { throw ProcessError(field: field, "unclosed \(quote) quote") }
    if escaped { throw ProcessError(field: field, "a backslash at the end escapes nothing") }
    if inArg { args.append(current) }
    return args
  }

  /// `args` as text that `split` reads back to `args`: plain where that is
  /// safe, else in double quotes with `"` and `\` escaped.
  public static func join(_ args: [String]) -> String {
    args.map { arg in
      let plain =
        !arg.isEmpty
        && !arg.contains { $0.isWhitespace || $0 == "'" || $0 == "\"" || $0 == "\\" }
      if plain { return arg }
      var out = "\""
      for c in arg {
        if c == "\"" || c == "\\" { out.append("\\") }
        out.append(c)
      }
      return out + "\""
    }.joined(separator: " ")
  }
}

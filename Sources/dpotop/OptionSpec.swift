import Foundation

/// One command-line option, declared once: the parser's sets (`Options(_:)`)
/// and the OPTIONS section of the command's `--help` (`helpSection`) are
/// both made from the declarations, so they cannot disagree.
struct OptionSpec: Sendable {
  /// Whether the option takes a value.
  enum Kind: Sendable, Equatable {
    /// `--name`.
    case flag
    /// `--name VALUE`, given at most once.
    case value
    /// `--name VALUE`, repeatable; every value is kept.
    case repeated
  }

  let name: String
  let kind: Kind
  /// What the value is called in the help (`DIR`, `N`); empty for a flag.
  let placeholder: String
  /// What the option does. A line break starts a new line in the help; a
  /// line starting with spaces is drawn as written (a table), others wrap.
  let help: String
  /// The default, shown after the help as `(default: …)`; nil: none said.
  let defaultText: String?

  /// `--name`: a boolean flag.
  static func flag(_ name: String, _ help: String, default defaultText: String? = nil) -> Self {
    Self(name: name, kind: .flag, placeholder: "", help: help, defaultText: defaultText)
  }

  /// `--name VALUE`.
  static func value(
    _ name: String, _ placeholder: String, _ help: String, default defaultText: String? = nil
  ) -> Self {
    Self(name: name, kind: .value, placeholder: placeholder, help: help, defaultText: defaultText)
  }

  /// `--name VALUE`, repeatable.
  static func repeated(
    _ name: String, _ placeholder: String, _ help: String, default defaultText: String? = nil
  ) -> Self {
    Self(
      name: name, kind: .repeated, placeholder: placeholder, help: help, defaultText: defaultText)
  }

  /// How the option is written in the help's left column.
  var synopsis: String { placeholder.isEmpty ? "--" + name : "--\(name) \(placeholder)" }

  /// The help with the default appended; `(default:` is glued to the
  /// default's first word (a no-break space) so wrapping keeps them together.
  var fullHelp: String {
    defaultText.map { help + " (default:\u{A0}\($0))" } ?? help
  }

  /// The lines of an OPTIONS section for `specs`, in their order: each
  /// synopsis indented two spaces, its help in one column beside it,
  /// wrapped at `width`. Ends without a newline.
  static func helpSection(_ specs: [OptionSpec], width: Int = 80) -> String {
    let longest = specs.map(\.synopsis.count).max() ?? 0
    // A synopsis longer than this puts its help on the lines below.
    let column = 2 + min(longest, 22) + 2
    var lines: [String] = []
    for spec in specs {
      var text = [String]()
      for paragraph in spec.fullHelp.split(separator: "\n", omittingEmptySubsequences: false) {
        if paragraph.hasPrefix(" ") {
          text.append(String(paragraph))
        } else {
          text += wrap(String(paragraph), width: max(20, width - column))
        }
      }
      text = text.map { String($0.map { $0 == "\u{A0}" ? " " : $0 }) }
      let head = "  " + spec.synopsis
      let pad = String(repeating: " ", count: column)
      if head.count + 2 <= column, let first = text.first {
        lines.append(head.padding(toLength: column, withPad: " ", startingAt: 0) + first)
        lines += text.dropFirst().map { pad + $0 }
      } else {
        lines.append(head)
        lines += text.map { pad + $0 }
      }
    }
    return lines.joined(separator: "\n")
  }

  /// `text`'s words in lines of at most `width` characters (a longer word
  /// gets a line of its own).
  static func wrap(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
      if line.isEmpty {
        line = String(word)
      } else if line.count + 1 + word.count <= width {
        line += " " + word
      } else {
        lines.append(line)
        line = String(word)
      }
    }
    if !line.isEmpty || lines.isEmpty { lines.append(line) }
    return lines
  }
}

extension Options {
  /// The scanner for these declarations.
  init(_ specs: [OptionSpec]) {
    self.init(
      valued: Set(specs.filter { $0.kind == .value }.map(\.name)),
      flags: Set(specs.filter { $0.kind == .flag }.map(\.name)),
      repeated: Set(specs.filter { $0.kind == .repeated }.map(\.name)))
  }

  /// Every option name the scanner accepts.
  var names: Set<String> { valued.union(flags).union(repeated) }
}

/// Runs `body` (scanning and checking a command's arguments); on a mistake
/// prints it with a pointer to `dpotop COMMAND --help` (`dpotop --help` for
/// an empty `command`) and exits with status 2.
func parsingArguments<T>(
  help command: String, _ body: () throws(OptionError) -> T
) -> T {
  do {
    return try body()
  } catch {
    let help = command.isEmpty ? "dpotop --help" : "dpotop \(command) --help"
    fail(error.description, hint: "see '\(help)'")
  }
}

/// A small, strict command-line option scanner shared by every subcommand.
///
/// Options are `--name VALUE`, `--name=VALUE` or boolean `--flag`; everything
/// else is positional; `--` ends options (the rest is positional, verbatim).
/// Unknown options and missing values are errors that name the option, so
/// `--help` and the parser can never disagree silently.
struct Options {
  /// Option names that take a value.
  let valued: Set<String>
  /// Boolean flag names.
  let flags: Set<String>
  /// Option names that may be repeated; every value is kept, in order.
  var repeated: Set<String> = []

  /// The result of scanning.
  struct Parsed {
    var values: [String: String] = [:]
    /// Every value of a repeated option, in order.
    var lists: [String: [String]] = [:]
    var setFlags: Set<String> = []
    var positional: [String] = []
    /// Everything after a bare `--`, verbatim (nil when there was no `--`).
    var rest: [String]?

    /// True when `--name` was given.
    func flag(_ name: String) -> Bool { setFlags.contains(name) }

    /// The string value of `--name`, if given.
    func string(_ name: String) -> String? { values[name] }

    /// `--name` as an Int within `range`, or `fallback` when absent.
    func int(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws(OptionError)
      -> Int
    {
      guard let text = values[name] else { return fallback }
      guard let v = Int(text) else {
        throw OptionError("--\(name): '\(text)' is not an integer")
      }
      guard range.contains(v) else {
        throw OptionError("--\(name): \(v) is outside \(range.lowerBound)...\(range.upperBound)")
      }
      return v
    }

    /// `--name` as a finite Double satisfying `valid`, or `fallback` when absent.
    func double(
      _ name: String, default fallback: Double, valid: (Double) -> Bool = { _ in true },
      requirement: String = ""
    ) throws(OptionError) -> Double {
      guard let text = values[name] else { return fallback }
      guard let v = Double(text), v.isFinite else {
        throw OptionError("--\(name): '\(text)' is not a finite number")
      }
      guard valid(v) else {
        throw OptionError(
          "--\(name): \(text) is not allowed\(requirement.isEmpty ? "" : ": \(requirement)")")
      }
      return v
    }
  }

  /// Scans `args`, throwing on unknown options or missing values.
  func parse(_ args: [String]) throws(OptionError) -> Parsed {
    var parsed = Parsed()
    var i = 0
    while i < args.count {
      let arg = args[i]
      i += 1
      if arg == "--" {
        parsed.rest = Array(args[i...])
        break
      }
      guard arg.hasPrefix("--"), arg.count > 2 else {
        parsed.positional.append(arg)
        continue
      }
      var name = String(arg.dropFirst(2))
      var inline: String?
      if let eq = name.firstIndex(of: "=") {
        inline = String(name[name.index(after: eq)...])
        name = String(name[..<eq])
      }
      if flags.contains(name) {
        guard inline == nil else { throw OptionError("--\(name) takes no value") }
        parsed.setFlags.insert(name)
      } else if valued.contains(name) || repeated.contains(name) {
        let value: String
        if let inline {
          value = inline
        } else {
          guard i < args.count else { throw OptionError("--\(name) needs a value") }
          value = args[i]
          i += 1
        }
        if repeated.contains(name) {
          parsed.lists[name, default: []].append(value)
        } else {
          guard parsed.values[name] == nil else { throw OptionError("--\(name) given twice") }
          parsed.values[name] = value
        }
      } else {
        throw OptionError("unknown option --\(name)")
      }
    }
    return parsed
  }
}

extension Options {
  /// `120x40` → (120, 40), each within 1...1000 (`--size`).
  static func parseSize(_ text: String) throws(OptionError) -> (Int, Int) {
    let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
    guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]) else {
      throw OptionError("--size: '\(text)' is not WIDTHxHEIGHT (like 120x40)")
    }
    guard (1...1000).contains(w), (1...1000).contains(h) else {
      throw OptionError("--size: \(w)x\(h) is outside 1x1...1000x1000")
    }
    return (w, h)
  }
}

/// A command-line mistake, described for the user.
struct OptionError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

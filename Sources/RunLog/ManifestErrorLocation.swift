import Foundation

/// Where in a `run.json` that does not decode the problem is, in words a
/// user can act on: `line L, column C: ...` for bytes that are not JSON
/// (Foundation only says "The given data was not valid JSON."), the field
/// for a value of the wrong type.
enum ManifestErrorLocation {
  /// A description of why `data` does not decode, given the decoder's `error`.
  static func describe(_ data: Data, _ error: Error) -> String {
    if case .dataCorrupted(let ctx)? = error as? DecodingError, ctx.codingPath.isEmpty {
      let bytes = [UInt8](data)
      do {
        _ = try LenientJSON.parse(bytes)
      } catch {
        return error.description
      }
      if let at = nonFiniteLiteral(bytes) {
        return "line \(at.line), column \(at.column): \(at.word) is not JSON "
          + "(dpotop writes non-finite numbers as the string \"\(at.word)\")"
      }
    }
    var text = describeDecodingError(error)
    if let key = fieldKey(error), let line = lineOfKey(key, in: [UInt8](data)) {
      text += " (line \(line))"
    }
    return text
  }

  /// The name of the field a type error is about.
  private static func fieldKey(_ error: Error) -> String? {
    switch error as? DecodingError {
    case .typeMismatch(_, let ctx)?, .valueNotFound(_, let ctx)?, .dataCorrupted(let ctx)?:
      return ctx.codingPath.last.flatMap { $0.intValue == nil ? $0.stringValue : nil }
    default: return nil
    }
  }

  /// The line of the first `"key":` in `bytes` (a good guess at where the field is).
  static func lineOfKey(_ key: String, in bytes: [UInt8]) -> Int? {
    let quoted = Array("\"\(key)\"".utf8)
    var line = 1
    var i = 0
    while i < bytes.count {
      if bytes[i] == 0x0A { line += 1 }
      if bytes[i...].starts(with: quoted) {
        var j = i + quoted.count
        while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1 }
        if j < bytes.count, bytes[j] == UInt8(ascii: ":") { return line }
      }
      i += 1
    }
    return nil
  }

  /// The first bare `NaN` / `Infinity` / `-Infinity` outside strings, with its position.
  static func nonFiniteLiteral(_ bytes: [UInt8]) -> (line: Int, column: Int, word: String)? {
    var line = 1
    var column = 1
    var inString = false
    var i = 0
    while i < bytes.count {
      let b = bytes[i]
      if inString {
        if b == UInt8(ascii: "\\") {
          i += 2
          column += 2
          continue
        }
        if b == UInt8(ascii: "\"") { inString = false }
      } else if b == UInt8(ascii: "\"") {
        inString = true
      } else {
        for word in ["NaN", "Infinity", "-Infinity"] where bytes[i...].starts(with: word.utf8) {
          return (line, column, word)
        }
      }
      if b == 0x0A {
        line += 1
        column = 1
      } else {
        column += 1
      }
      i += 1
    }
    return nil
  }
}

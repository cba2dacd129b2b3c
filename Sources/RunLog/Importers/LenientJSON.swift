/// A JSON value as Python's `json` module writes it, `NaN` and `Infinity` included.
///
/// Why not `JSONSerialization`: it rejects `NaN`/`Infinity`/`-Infinity`, which
/// HF Trainer writes into `trainer_state.json` whenever a loss diverges, and
/// it loses key order, which is the order metrics are listed in.
public indirect enum LenientJSON: Sendable, Equatable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([LenientJSON])
  /// Members in file order (a duplicate key keeps both; `[key]` finds the last).
  case object([(key: String, value: LenientJSON)])

  /// The member `key` of an object (the last one, as Python's json keeps).
  public subscript(key: String) -> LenientJSON? {
    guard case .object(let members) = self else { return nil }
    return members.last(where: { $0.key == key })?.value
  }

  /// The value as a number (`true`/`false` are not numbers).
  public var number: Double? {
    if case .number(let v) = self { return v }
    return nil
  }

  /// The value as a string.
  public var string: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// Equal when structurally equal; NaN equals NaN.
  public static func == (a: LenientJSON, b: LenientJSON) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.number(let x), .number(let y)): return x == y || (x.isNaN && y.isNaN)
    case (.string(let x), .string(let y)): return x == y
    case (.array(let x), .array(let y)): return x == y
    case (.object(let x), .object(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    default: return false
    }
  }

  /// A parse failure: what and where (1-based line and column).
  public struct ParseError: Error, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var reason: String
    public var description: String { "line \(line), column \(column): \(reason)" }
  }

  /// Parses `bytes` as one JSON document (surrounding whitespace allowed).
  public static func parse(_ bytes: [UInt8]) throws(ParseError) -> LenientJSON {
    try bytes.withUnsafeBufferPointer { (buf) throws(ParseError) -> LenientJSON in
      var p = JSONScanner(buf)
      let v = try p.value(depth: 0)
      p.skipSpace()
      guard p.i == buf.count else { throw p.error("unexpected text after the JSON value") }
      return v
    }
  }
}

/// The recursive-descent scanner behind `LenientJSON.parse`.
struct JSONScanner {
  let b: UnsafeBufferPointer<UInt8>
  var i = 0
  /// Nesting deeper than this is refused (a hostile file cannot exhaust the stack).
  static let maxDepth = 128

  init(_ b: UnsafeBufferPointer<UInt8>) { self.b = b }

  func error(_ reason: String) -> LenientJSON.ParseError {
    var line = 1
    var col = 1
    for k in 0..<min(i, b.count) {
      if b[k] == 0x0A {
        line += 1
        col = 1
      } else {
        col += 1
      }
    }
    return LenientJSON.ParseError(line: line, column: col, reason: reason)
  }

  mutating func skipSpace() {
    while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
  }

  mutating func literal(_ word: StaticString) -> Bool {
    let n = word.utf8CodeUnitCount
    guard b.count - i >= n else { return false }
    let w = UnsafeBufferPointer(start: word.utf8Start, count: n)
    for k in 0..<n where b[i + k] != w[k] { return false }
    i += n
    return true
  }

  mutating func value(depth: Int) throws(LenientJSON.ParseError) -> LenientJSON {
    guard depth < Self.maxDepth else { throw error("nesting deeper than \(Self.maxDepth)") }
    skipSpace()
    guard i < b.count else { throw error("unexpected end of input") }
    switch b[i] {
    case UInt8(ascii: "{"):
      i += 1
      var members: [(key: String, value: LenientJSON)] = []
      skipSpace()
      if i < b.count, b[i] == UInt8(ascii: "}") {
        i += 1
        return .object(members)
      }
      while true {
        skipSpace()
        guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw error("expected a quoted key") }
        let key = try string()
        skipSpace()
        guard i < b.count, b[i] == UInt8(ascii: ":") else { throw error("expected ':'") }
        i += 1
        members.append((key, try value(depth: depth + 1)))
        skipSpace()
        guard i < b.count else { throw error("unterminated object") }
        if b[i] == UInt8(ascii: ",") {
          i += 1
          continue
        }
        guard b[i] == UInt8(ascii: "}") else { throw error("expected ',' or '}'") }
        i += 1
        return .object(members)
      }
    case UInt8(ascii: "["):
      i += 1
      var items: [LenientJSON] = []
      skipSpace()
      if i < b.count, b[i] == UInt8(ascii: "]") {
        i += 1
        return .array(items)
      }
      while true {
        items.append(try value(depth: depth + 1))
        skipSpace()
        guard i < b.count else { throw error("unterminated array") }
        if b[i] == UInt8(ascii: ",") {
          i += 1
          continue
        }
        guard b[i] == UInt8(ascii: "]") else { throw error("expected ',' or ']'") }
        i += 1
        return .array(items)
      }
    case UInt8(ascii: "\""):
      return .string(try string())
    case UInt8(ascii: "t"):
      guard literal("true") else { throw error("invalid literal") }
      return .bool(true)
    case UInt8(ascii: "f"):
      guard literal("false") else { throw error("invalid literal") }
      return .bool(false)
    case UInt8(ascii: "n"):
      guard literal("null") else { throw error("invalid literal") }
      return .null
    case UInt8(ascii: "N"):
      guard literal("NaN") else { throw error("invalid literal") }
      return .number(.nan)
    case UInt8(ascii: "I"):
      guard literal("Infinity") else { throw error("invalid literal") }
      return .number(.infinity)
    default:
      return .number(try number())
    }
  }

  mutating func number() throws(LenientJSON.ParseError) -> Double {
    let start = i
    if i < b.count, b[i] == UInt8(ascii: "-") {
      i += 1
      if literal("Infinity") { return -.infinity }
    }
    var digits = 0
    while i < b.count {
      let c = b[i]
      if c >= 0x30 && c <= 0x39 {
        digits += 1
      } else if c != UInt8(ascii: ".") && c != UInt8(ascii: "e") && c != UInt8(ascii: "E")
        && c != UInt8(ascii: "+") && c != UInt8(ascii: "-")
      {
        break
      }
      i += 1
    }
    guard digits > 0, i - start < 64 else {
      i = start
      throw error("invalid value")
    }
    let text = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
    guard let v = Double(text) else {
      i = start
      throw error("invalid number \(text.debugDescription)")
    }
    return v
  }

  mutating func string() throws(LenientJSON.ParseError) -> String {
    i += 1  // opening quote
    var out: [UInt8] = []
    while i < b.count {
      let c = b[i]
      if c == UInt8(ascii: "\"") {
        i += 1
        return String(decoding: out, as: UTF8.self)
      }
      if c == UInt8(ascii: "\\") {
        i += 1
        guard i < b.count else { break }
        let e = b[i]
        i += 1
        switch e {
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "u"):
          guard let u = hex4() else { throw error("invalid \\u escape") }
          var scalar = u
          if (0xD800..<0xDC00).contains(u), b.count - i >= 6, b[i] == UInt8(ascii: "\\"),
            b[i + 1] == UInt8(ascii: "u")
          {
            i += 2
            if let lo = hex4(), (0xDC00..<0xE000).contains(lo) {
              scalar = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00)
            }
          }
          // Lone surrogates become U+FFFD rather than an error: keep the file readable.
          out.append(
            contentsOf: Array(String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
          )
        default: out.append(e)
        }
        continue
      }
      out.append(c)
      i += 1
    }
    throw error("unterminated string")
  }

  mutating func hex4() -> UInt32? {
    guard b.count - i >= 4 else { return nil }
    var v: UInt32 = 0
    for _ in 0..<4 {
      let c = b[i]
      let d: UInt8
      switch c {
      case 0x30...0x39: d = c - 0x30
      case 0x41...0x46: d = c - 0x41 + 10
      case 0x61...0x66: d = c - 0x61 + 10
      default: return nil
      }
      v = v << 4 | UInt32(d)
      i += 1
    }
    return v
  }
}

import Foundation

/// Parses one line of `metrics.jsonl` (a flat JSON object) without allocating
/// per line.
///
/// Why hand-written: `JSONSerialization` allocates a dictionary and a boxed
/// number per field and rejects `NaN`/`Infinity`, which Python's `json`
/// writes. This parser reads the bytes in place, interns keys (a run logs the
/// same dozen keys a million times), accepts Python's non-finite spellings,
/// ignores unknown non-numeric fields and nested values, and reports the first
/// problem of a bad line in words.
///
/// The one JSON-lines parser: dpotop's own `metrics.jsonl` (`KeyNames.native`)
/// and other trainers' JSON-lines logs (`KeyNames.imported`: TRL / HF names)
/// both go through it, so every path reads JSON lines at the same speed.
public struct MetricLineParser {
  /// How the keys of a line name metrics and splits.
  public enum KeyNames: Sendable {
    /// dpotop's `metrics.jsonl`: a key is the metric name, the `split` field
    /// names the split (`train` or `eval`, anything else is a bad line), and
    /// `time` is a number or null.
    case native
    /// Logs of other trainers (TRL / Accelerate): `global_step` stands for
    /// `step` and `timestamp` for `time` (non-numeric times are ignored); keys
    /// map as in `trainer_state.json` (`eval_loss` is eval `loss`,
    /// `learning_rate` is `lr`; `ImportedNames.fromFlatKey`), so one line can
    /// hold a train and an eval record, `epoch` going into each; a `split`
    /// of `"eval"` makes the whole line eval, other values are ignored.
    case imported
  }

  /// Where a key's values go (`KeyNames.imported`).
  enum Route: UInt8 {
    /// Into the record of the line's split.
    case line
    /// Into the line's eval record (an `eval_` key).
    case eval
    /// Into every record of the line (`epoch`).
    case every
  }

  /// The naming this parser applies.
  public let names: KeyNames
  /// Interned keys as written; `ParsedLine.fields` refer to them by index.
  public private(set) var keys: [String] = []
  /// The metric name each interned key is stored under (`keys` itself for `.native`).
  public private(set) var metricNames: [String] = []
  /// Where each interned key's values go.
  private(set) var routes: [Route] = []
  /// The raw bytes of every interned key, back to back; key i is
  /// `keyBytes[keyStart[i]..<keyStart[i + 1]]`.
  private var keyBytes: [UInt8] = []
  private var keyStart: [Int] = [0]
  /// The key expected next: lines repeat the same keys in the same order, so
  /// the key after the one just matched is almost always the next one.
  private var nextGuess = 0
  /// Hash of a key's raw bytes → its index; `sameHash` chains collisions. A
  /// hostile file with a new key on every line must not make lookups linear.
  private var keyByHash: [UInt64: Int] = [:]
  private var sameHash: [Int] = []
  /// Most distinct metric keys one parser keeps, so a hostile file cannot make
  /// a reader hold millions of series. One rule, whether the keys come one a
  /// line or all in one line: keys first seen after the cap is reached are
  /// dropped from their records, and each record keeps its step, split, time
  /// and every value of a key already known (no record is lost; the dropping
  /// is reported once, by the reader).
  public static let maxKeys = 10_000
  /// Values dropped because their key came after the cap was reached.
  public private(set) var droppedValues = 0
  /// The first key dropped (for the one report of it).
  public private(set) var firstDroppedKey: String?

  /// The fields of one parsed line.
  public struct ParsedLine {
    public var step = 0
    public var time: Double?
    public var split = Split.train
    /// (index into `keys`, value), in line order.
    public var fields: [(key: Int, value: Double)] = []
    /// Where each field goes, parallel to `fields`; empty when every field
    /// goes into the line's one record (always for `.native` naming).
    var routes: [Route] = []
  }

  /// A parser with an empty key table.
  public init(names: KeyNames = .native) {
    self.names = names
  }

  /// Parses `line` (without its newline) into `out`; returns nil on success or
  /// the reason the line is bad.
  public mutating func parse(_ line: UnsafeBufferPointer<UInt8>, into out: inout ParsedLine)
    -> String?
  {
    // A bad line leaves nothing behind: keys it introduced are forgotten.
    let known = keys.count
    let dropped = (droppedValues, firstDroppedKey)
    let reason = parseLine(line, into: &out)
    if reason != nil {
      forgetKeys(after: known)
      (droppedValues, firstDroppedKey) = dropped
    }
    return reason
  }

  private mutating func parseLine(_ line: UnsafeBufferPointer<UInt8>, into out: inout ParsedLine)
    -> String?
  {
    out.fields.removeAll(keepingCapacity: true)
    out.routes.removeAll(keepingCapacity: true)
    out.time = nil
    out.split = .train
    var sawStep = false
    var alias = StepAlias.none
    nextGuess = 0
    var p = Cursor(line)
    p.skipSpace()
    guard p.peek == UInt8(ascii: "{") else {
      return p.atEnd ? "empty line" : "expected a JSON object"
    }
    p.i += 1
    p.skipSpace()
    if p.peek == UInt8(ascii: "}") {
      return "missing field \"step\""
    }
    while true {
      p.skipSpace()
      guard p.peek == UInt8(ascii: "\"") else { return "expected a quoted key at byte \(p.i + 1)" }
      // Fast path: the key expected next, compared in place (one memcmp).
      if let k = matchGuess(line, at: p.i) {
        p.i += keyStart[k + 1] - keyStart[k] + 2
        p.skipSpace()
        guard p.peek == UInt8(ascii: ":") else { return "expected ':' at byte \(p.i + 1)" }
        p.i += 1
        p.skipSpace()
        if let c = p.peek, startsNumber(c) {
          guard let v = scanNumber(&p) else { return "bad number at byte \(p.i + 1)" }
          out.fields.append((k, v))
          if names == .imported { note(routes[k], &out) }
          nextGuess = k + 1
        } else {
          guard p.skipValue() else { return "bad value at byte \(p.i + 1)" }
        }
      } else {
        guard let keyRange = p.scanString() else { return "unterminated or invalid string" }
        p.skipSpace()
        guard p.peek == UInt8(ascii: ":") else { return "expected ':' at byte \(p.i + 1)" }
        p.i += 1
        p.skipSpace()
        if let reason = parseField(
          UnsafeBufferPointer(rebasing: line[keyRange]), &p, &out, &sawStep, &alias)
        {
          return reason
        }
      }
      p.skipSpace()
      if p.peek == UInt8(ascii: ",") {
        p.i += 1
        continue
      }
      if p.peek == UInt8(ascii: "}") {
        p.i += 1
        break
      }
      return p.atEnd ? "truncated object" : "expected ',' or '}' at byte \(p.i + 1)"
    }
    p.skipSpace()
    guard p.atEnd else { return "trailing bytes after the object" }
    if !sawStep {
      switch alias {
      case .none: return "missing field \"step\""
      case .bad(let reason): return reason
      case .step(let step): out.step = step
      }
    }
    if p.sawHighBytes, !isValidUTF8(line) { return "not valid UTF-8" }
    return nil
  }

  /// Parses the value of `key` (the cursor is at the value); nil or the reason the line is bad.
  private mutating func parseField(
    _ key: UnsafeBufferPointer<UInt8>, _ p: inout Cursor, _ out: inout ParsedLine,
    _ sawStep: inout Bool, _ alias: inout StepAlias
  ) -> String? {
    let line = p.buf
    if equals(key, "step") {
      switch scanStep(&p, "step") {
      case .step(let step):
        out.step = step
        sawStep = true
      case .bad(let reason): return reason
      case .none: break
      }
    } else if names == .imported {
      return parseImportedField(key, &p, &out, &alias)
    } else if equals(key, "time") {
      if p.peek == UInt8(ascii: "n") {
        guard p.scanLiteral("null") else { return "field \"time\" is not a number" }
      } else {
        guard let v = scanNumber(&p) else { return "field \"time\" is not a number" }
        out.time = v
      }
    } else if equals(key, "split") {
      guard p.peek == UInt8(ascii: "\""), let r = p.scanString() else {
        return "field \"split\" is not a string"
      }
      let s = UnsafeBufferPointer(rebasing: line[r])
      if equals(s, "train") {
        out.split = .train
      } else if equals(s, "eval") {
        out.split = .eval
      } else {
        return "field \"split\" must be \"train\" or \"eval\""
      }
    } else if let c = p.peek, startsNumber(c) {
      guard let v = scanNumber(&p) else { return "bad number at byte \(p.i + 1)" }
      switch intern(key) {
      case .success(let k):
        out.fields.append((k, v))
        if names == .imported { note(routes[k], &out) }
      case .failure(.invalid): return "key is not a valid JSON string"
      case .failure(.tooMany): drop(key)
      }
    } else {
      // Unknown non-numeric value (string, bool, null, object, array): ignored.
      guard p.skipValue() else { return "bad value at byte \(p.i + 1)" }
    }
    return nil
  }

  /// A field of an `.imported` line other than `step`.
  private mutating func parseImportedField(
    _ key: UnsafeBufferPointer<UInt8>, _ p: inout Cursor, _ out: inout ParsedLine,
    _ alias: inout StepAlias
  ) -> String? {
    if equals(key, "global_step") {
      // Used only when the line has no `step` (which wins wherever it is).
      let at = p.i
      let got = scanStep(&p, "global_step")
      if case .none = alias { alias = got }
      if p.i == at, !p.skipValue() { return "bad value at byte \(p.i + 1)" }
      return nil
    }
    let isTime = equals(key, "time") || equals(key, "timestamp")
    if isTime || equals(key, "split") {
      if isTime, let c = p.peek, startsNumber(c), let v = scanNumber(&p) {
        out.time = v
      } else if !isTime, p.peek == UInt8(ascii: "\""), let r = p.scanString() {
        if equals(UnsafeBufferPointer(rebasing: p.buf[r]), "eval") { out.split = .eval }
      } else if !p.skipValue() {
        return "bad value at byte \(p.i + 1)"
      }
      return nil
    }
    if let c = p.peek, startsNumber(c) {
      guard let v = scanNumber(&p) else { return "bad number at byte \(p.i + 1)" }
      switch intern(key) {
      case .success(let k):
        out.fields.append((k, v))
        if names == .imported { note(routes[k], &out) }
      case .failure(.invalid): return "key is not a valid JSON string"
      case .failure(.tooMany): drop(key)
      }
      return nil
    }
    guard p.skipValue() else { return "bad value at byte \(p.i + 1)" }
    return nil
  }

  /// What a step field held.
  private enum StepAlias {
    case none
    case step(Int)
    case bad(String)
  }

  /// Scans the value of a step field: an integer, or why it is not one
  /// (the cursor is left on the value when it is not a number).
  private func scanStep(_ p: inout Cursor, _ name: String) -> StepAlias {
    guard let v = scanNumber(&p), v.isFinite else {
      return .bad("field \"\(name)\" is not a number")
    }
    guard v == v.rounded(), abs(v) < 9e15 else {
      return .bad("field \"\(name)\" is not an integer")
    }
    // A negative step would, through the resume rule, discard every record
    // before it: it is a bad line, never a resume.
    guard v >= 0 else { return .bad("field \"\(name)\" is negative") }
    return .step(Int(v))
  }

  /// The index of the expected next key if the string at `i` (its opening quote) is it.
  private func matchGuess(_ line: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
    let k = nextGuess
    guard k < keys.count else { return nil }
    let a = keyStart[k]
    let n = keyStart[k + 1] - a
    guard i + n + 1 < line.count, line[i + n + 1] == UInt8(ascii: "\""), let base = line.baseAddress
    else { return nil }
    guard n > 0 else { return k }
    let same = keyBytes.withUnsafeBufferPointer { t in memcmp(t.baseAddress! + a, base + i + 1, n) }
    return same == 0 ? k : nil
  }

  /// Index of `key` in `keys`, adding it when new; nil if it does not decode.
  private mutating func intern(_ key: UnsafeBufferPointer<UInt8>) -> Result<Int, KeyError> {
    if nextGuess < keys.count, sameKey(nextGuess, key) {
      nextGuess += 1
      return .success(nextGuess - 1)
    }
    let h = fnv1a(key)
    var candidate = keyByHash[h]
    while let k = candidate {
      if sameKey(k, key) {
        nextGuess = k + 1
        return .success(k)
      }
      candidate = sameHash[k] >= 0 ? sameHash[k] : nil
    }
    guard keys.count < Self.maxKeys else { return .failure(.tooMany) }
    guard let s = decodeKey(key) else { return .failure(.invalid) }
    keys.append(s)
    switch names {
    case .native:
      metricNames.append(s)
      routes.append(.line)
    case .imported where s == MetricKey.epoch:
      metricNames.append(s)
      routes.append(.every)
    case .imported:
      let (split, name) = ImportedNames.fromFlatKey(s)
      metricNames.append(name)
      routes.append(split == .eval ? .eval : .line)
    }
    keyBytes.append(contentsOf: key)
    keyStart.append(keyBytes.count)
    sameHash.append(keyByHash[h] ?? -1)
    keyByHash[h] = keys.count - 1
    nextGuess = keys.count
    return .success(keys.count - 1)
  }

  /// Records the route of the field just appended. `routes` stays empty while
  /// every field of the line goes to the line's own record (the common case),
  /// so such a line costs what a `.native` one does.
  @inline(__always)
  private func note(_ route: Route, _ out: inout ParsedLine) {
    guard route != .line || !out.routes.isEmpty else { return }
    if out.routes.isEmpty {
      out.routes.append(contentsOf: repeatElement(.line, count: out.fields.count - 1))
    }
    out.routes.append(route)
  }

  /// Notes a value dropped because its key came after the cap.
  private mutating func drop(_ key: UnsafeBufferPointer<UInt8>) {
    droppedValues += 1
    if firstDroppedKey == nil { firstDroppedKey = decodeKey(key) ?? "?" }
  }

  /// Forgets the keys interned after the first `count` (those of a bad line).
  private mutating func forgetKeys(after count: Int) {
    while keys.count > count {
      let k = keys.count - 1
      let h = keyBytes.withUnsafeBufferPointer {
        fnv1a(UnsafeBufferPointer(rebasing: $0[keyStart[k]..<keyStart[k + 1]]))
      }
      // Keys are chained newest first, so `k` heads its hash's chain.
      keyByHash[h] = sameHash[k] >= 0 ? sameHash[k] : nil
      sameHash.removeLast()
      keyBytes.removeSubrange(keyStart[k]...)
      keyStart.removeLast()
      keys.removeLast()
      metricNames.removeLast()
      routes.removeLast()
    }
  }

  /// Why a key could not be interned.
  private enum KeyError: Error {
    case invalid, tooMany
  }

  /// True when interned key `k` has exactly the bytes `key`.
  private func sameKey(_ k: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
    let a = keyStart[k]
    let n = keyStart[k + 1] - a
    guard n == key.count else { return false }
    guard n > 0, let y = key.baseAddress else { return true }
    return keyBytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + a, y, n) == 0 }
  }

  /// Parses a JSON number or Python's `NaN`, `Infinity`, `-Infinity`.
  private func scanNumber(_ p: inout Cursor) -> Double? {
    if let c = p.peek, c == UInt8(ascii: "N") || c == UInt8(ascii: "I") || c == UInt8(ascii: "-") {
      if p.scanLiteral("NaN") { return .nan }
      if p.scanLiteral("Infinity") { return .infinity }
      if p.scanLiteral("-Infinity") { return -.infinity }
    }
    var scanner = NumberScanner(p.buf, at: p.i)
    guard let v = scanner.scan() else { return nil }
    p.i = scanner.end
    return v
  }
}

extension MetricLineParser.ParsedLine {
  /// The records this line makes, as (split, whether field i is in it):
  /// `.native` naming makes one record of the line's split with every field;
  /// `.imported` a record of the line's split with its plain keys (when it has
  /// any, or only `epoch`), then an eval record with its `eval_` keys, `epoch`
  /// in each (a line without metrics is one empty record, as in `.native`).
  func forEachRecord(_ body: (_ split: Split, _ includes: (_ field: Int) -> Bool) -> Void) {
    guard !routes.isEmpty else {
      body(split) { _ in true }
      return
    }
    var plain = false
    var eval = false
    var every = false
    for r in routes {
      switch r {
      case .line: plain = true
      case .eval: eval = true
      case .every: every = true
      }
    }
    if plain || (every && !eval) { body(split) { routes[$0] != .eval } }
    if eval { body(.eval) { routes[$0] != .line } }
  }
}

/// True for the first byte of a number (or of `NaN`, `Infinity`, `-Infinity`).
private func startsNumber(_ c: UInt8) -> Bool {
  c == UInt8(ascii: "-") || c == UInt8(ascii: "N") || c == UInt8(ascii: "I") || (c &- 0x30) < 10
}

/// A read position in a line.
private struct Cursor {
  let buf: UnsafeBufferPointer<UInt8>
  var i = 0
  var sawHighBytes = false

  init(_ buf: UnsafeBufferPointer<UInt8>) { self.buf = buf }

  var atEnd: Bool { i >= buf.count }
  var peek: UInt8? { i < buf.count ? buf[i] : nil }

  mutating func skipSpace() {
    while i < buf.count, buf[i] == 0x20 || buf[i] == 0x09 || buf[i] == 0x0D { i += 1 }
  }

  mutating func scanLiteral(_ s: StaticString) -> Bool {
    let n = s.utf8CodeUnitCount
    guard i + n <= buf.count else { return false }
    let p = s.utf8Start
    for j in 0..<n where buf[i + j] != p[j] { return false }
    i += n
    return true
  }

  /// Scans a string starting at `"`; returns the byte range of its raw contents.
  mutating func scanString() -> Range<Int>? {
    i += 1
    let start = i
    while i < buf.count {
      let c = buf[i]
      if c == UInt8(ascii: "\"") {
        i += 1
        return start..<(i - 1)
      }
      if c == UInt8(ascii: "\\") {
        i += 2
        continue
      }
      if c < 0x20 { return nil }
      if c >= 0x80 { sawHighBytes = true }
      i += 1
    }
    return nil
  }

  /// Skips any JSON value (string, literal, number, nested object or array).
  mutating func skipValue() -> Bool {
    guard let c = peek else { return false }
    switch c {
    case UInt8(ascii: "\""): return scanString() != nil
    case UInt8(ascii: "t"): return scanLiteral("true")
    case UInt8(ascii: "f"): return scanLiteral("false")
    case UInt8(ascii: "n"): return scanLiteral("null")
    case UInt8(ascii: "{"), UInt8(ascii: "["):
      var depth = 0
      while i < buf.count {
        let d = buf[i]
        if d == UInt8(ascii: "\"") {
          guard scanString() != nil else { return false }
          continue
        }
        if d == UInt8(ascii: "{") || d == UInt8(ascii: "[") { depth += 1 }
        if d == UInt8(ascii: "}") || d == UInt8(ascii: "]") {
          depth -= 1
          if depth == 0 {
            i += 1
            return true
          }
        }
        if d >= 0x80 { sawHighBytes = true }
        i += 1
      }
      return false
    default:
      // Numbers are handled by the caller; nothing else starts a JSON value.
      return false
    }
  }
}

private func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ s: StaticString) -> Bool {
  guard bytes.count == s.utf8CodeUnitCount else { return false }
  guard let base = bytes.baseAddress else { return true }
  return memcmp(base, s.utf8Start, bytes.count) == 0
}

/// Decodes a raw JSON key (with escapes) into a String; nil if invalid.
private func decodeKey(_ raw: UnsafeBufferPointer<UInt8>) -> String? {
  if !raw.contains(UInt8(ascii: "\\")) {
    return String(validating: raw, as: UTF8.self)
  }
  var quoted = [UInt8(ascii: "\"")]
  quoted.append(contentsOf: raw)
  quoted.append(UInt8(ascii: "\""))
  let any = try? JSONSerialization.jsonObject(with: Data(quoted), options: [.fragmentsAllowed])
  return any as? String
}

/// FNV-1a hash of `bytes`.
private func fnv1a(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
  var h: UInt64 = 0xcbf2_9ce4_8422_2325
  for b in bytes {
    h ^= UInt64(b)
    h = h &* 0x100_0000_01b3
  }
  return h
}

/// True when `bytes` are valid UTF-8.
func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
  String(validating: bytes, as: UTF8.self) != nil
}

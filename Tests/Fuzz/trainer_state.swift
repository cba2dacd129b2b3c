// fuzz-modules: RunLog
// libFuzzer harness for trainer_state.json (HF Trainer / TRL) and the lenient
// JSON parser under it (scripts/fuzz.sh, docs/fuzzing.md).
//
// Checks, besides "no crash or hang" on any bytes:
// - parsing is deterministic (the same bytes give the same result twice);
// - a parse error names a line and column inside the input;
// - every record has a value; each key is what a document key maps to; records
//   keep log_history order (entries that gave records have non-decreasing
//   positions, so a step appears at most once per split per entry);
// - the incremental rule the reader uses holds: the records of a document
//   whose log_history is cut to its first k entries are a prefix of the
//   records of the whole document.
// The same bytes are also read as another trainer's JSON-lines metrics log (the
// one JSON-lines reader, TailReader with imported key names), whole and in
// input-derived chunks: same records, counts and reports; nothing returned is
// taken back; good + bad + blank lines = lines.
@testable import RunLog

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let first: Result<TrainerState, LenientJSON.ParseError> = Result {
    () throws(LenientJSON.ParseError) in
    try TrainerState.parse(bytes)
  }
  let second: Result<TrainerState, LenientJSON.ParseError> = Result {
    () throws(LenientJSON.ParseError) in
    try TrainerState.parse(bytes)
  }
  switch (first, second) {
  case (.success(let a), .success(let b)):
    precondition(a == b, "parse is not deterministic")
    check(a, bytes)
    checkPrefix(bytes, a)
  case (.failure(let a), .failure(let b)):
    precondition(a == b, "errors differ")
    var lines = 1
    for b in bytes where b == 0x0A { lines += 1 }
    precondition(a.line >= 1 && a.line <= lines, "error line \(a.line) outside the input")
    precondition(a.column >= 1 && a.column <= size + 1, "error column outside the input")
  default:
    preconditionFailure("parse succeeded once and failed once")
  }
  checkJSONL(bytes)
  return 0
}

private func checkJSONL(_ bytes: [UInt8]) {
  var seed: UInt64 = 0xcbf2_9ce4_8422_2325
  for b in bytes { seed = (seed ^ UInt64(b)) &* 0x100_0000_01b3 }
  let limit = 8 + Int(seed % 512)
  let whole = TailReader(path: "fuzz", names: .imported)
  whole.maxLineBytes = limit
  var expected: [MetricRecord] = []
  var good = 0
  bytes.withUnsafeBytes { good += whole.feed($0) { expected.append($0) }.records }
  good += whole.finish { expected.append($0) }.records
  precondition(
    good + whole.badCount + whole.blankCount == whole.lineCount, "good + bad + blank != lines")

  let chunked = TailReader(path: "fuzz", names: .imported)
  chunked.maxLineBytes = limit
  var got: [MetricRecord] = []
  var offset = 0
  while offset < bytes.count {
    seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    let n = min(bytes.count - offset, 1 + Int((seed >> 33) % 97))
    let before = got.count
    bytes.withUnsafeBytes { raw in
      _ = chunked.feed(UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + n)])) {
        got.append($0)
      }
    }
    offset += n
    precondition(got.count <= expected.count, "chunked JSONL returned more records")
    for i in before..<got.count { precondition(got[i] == expected[i], "JSONL record \(i) differs") }
  }
  _ = chunked.finish { got.append($0) }
  precondition(got == expected, "chunked and whole JSONL reads differ")
  precondition(chunked.badCount == whole.badCount, "JSONL bad counts differ")
  precondition(chunked.recentBad == whole.recentBad, "JSONL bad reports differ")
}

/// Every record has a value, and each of its keys is what some key of the
/// document maps to in the record's split (`eval_loss` → eval `loss`;
/// `eval_eval_x` → eval `eval_x`: one prefix is stripped), or `epoch`.
private func check(_ s: TrainerState, _ bytes: [UInt8]) {
  var mapped = Set<String>()
  if let doc = try? LenientJSON.parse(bytes), case .array(let history)? = doc["log_history"] {
    for case .object(let members) in history {
      for (k, _) in members {
        let m = ImportedNames.fromFlatKey(k)
        mapped.insert("\(m.split.rawValue) \(m.key)")
      }
    }
  }
  for r in s.records {
    precondition(!r.values.isEmpty, "empty record")
    for (k, _) in r.values where k != "epoch" {
      precondition(mapped.contains("\(r.split.rawValue) \(k)"), "key \(k) not from the document")
    }
  }
}

/// Re-encodes the document with log_history cut to its first k entries and
/// checks that its records are a prefix of the whole document's.
private func checkPrefix(_ bytes: [UInt8], _ whole: TrainerState) {
  guard let doc = try? LenientJSON.parse(bytes), case .array(let history)? = doc["log_history"]
  else { return }
  let k = history.count / 2
  let cut = "{\"log_history\": [" + history.prefix(k).map(encode).joined(separator: ",") + "]}"
  guard let part = try? TrainerState.parse(Array(cut.utf8)) else {
    preconditionFailure("re-encoded prefix does not parse: \(cut)")
  }
  precondition(part.records.count <= whole.records.count, "prefix has more records")
  for (a, b) in zip(part.records, whole.records) {
    precondition(a == b, "prefix records differ from the whole document's")
  }
}

/// A JSON encoding of a value (Python's spellings for non-finite numbers).
private func encode(_ v: LenientJSON) -> String {
  switch v {
  case .null: return "null"
  case .bool(let b): return b ? "true" : "false"
  case .number(let x):
    if x.isNaN { return "NaN" }
    if x.isInfinite { return x > 0 ? "Infinity" : "-Infinity" }
    return "\(x)"
  case .string(let s):
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      default:
        if u.value < 0x20 {
          out +=
            "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count)
            + String(u.value, radix: 16)
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    return out + "\""
  case .array(let items): return "[" + items.map(encode).joined(separator: ",") + "]"
  case .object(let members):
    return "{"
      + members.map { encode(.string($0.key)) + ":" + encode($0.value) }
      .joined(separator: ",") + "}"
  }
}

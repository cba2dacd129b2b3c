// fuzz-modules: RunLog
// libFuzzer harness for the metrics.jsonl tailing reader (scripts/fuzz.sh, docs/fuzzing.md).
//
// The input is a metrics file. It is fed to one TailReader whole and to
// another in chunks whose sizes come from a PRNG seeded by a hash of the
// input (so every input is replayed identically), and checks:
// - both readers return the same records, counts and bad-line reports;
// - while chunked, what was returned is always a prefix of the whole read
//   (nothing returned is ever taken back) and the counters never go down;
// - good + bad + blank lines add up to the lines in the input, counted here
//   independently;
// - every record returned, written back by MetricLineEncoder, reads back equal;
// - an input that is a JSON number parses to exactly what Double(String) says.
@testable import RunLog

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = UnsafeRawBufferPointer(start: data, count: size)
  var rng = SplitMix(seed: fnv1a(bytes))
  // A small line limit makes the long-line path reachable by short inputs.
  let limit = 16 + Int(rng.next() % 512)

  let whole = TailReader(path: "fuzz")
  whole.maxLineBytes = limit
  var expected: [MetricRecord] = []
  let fed = whole.feed(bytes) { expected.append($0) }
  let finished = whole.finish { expected.append($0) }
  precondition(fed.records + finished.records == expected.count, "poll record count")
  precondition(fed.badLines + finished.badLines == whole.badCount, "poll bad count")

  let chunked = TailReader(path: "fuzz")
  chunked.maxLineBytes = limit
  var got: [MetricRecord] = []
  var offset = 0
  var lines = 0
  var bad = 0
  while offset < size {
    let n = min(size - offset, chunkSize(&rng))
    let before = got.count
    _ = chunked.feed(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)])) {
      got.append($0)
    }
    offset += n
    precondition(got.count <= expected.count, "chunked read returned more records than whole")
    for i in before..<got.count {
      precondition(got[i] == expected[i], "record \(i) differs when fed in chunks")
    }
    precondition(chunked.lineCount >= lines && chunked.badCount >= bad, "a counter went down")
    lines = chunked.lineCount
    bad = chunked.badCount
  }
  _ = chunked.finish { got.append($0) }
  precondition(got == expected, "chunked and whole reads differ")
  precondition(chunked.lineCount == whole.lineCount, "line counts differ")
  precondition(chunked.badCount == whole.badCount, "bad counts differ")
  precondition(chunked.blankCount == whole.blankCount, "blank counts differ")
  precondition(chunked.recentBad == whole.recentBad, "bad-line reports differ")

  var newlines = 0
  for b in bytes where b == 0x0A { newlines += 1 }
  let inputLines = newlines + (size > 0 && bytes[size - 1] != 0x0A ? 1 : 0)
  precondition(whole.lineCount == inputLines, "reader saw \(whole.lineCount) of \(inputLines)")
  precondition(
    expected.count + whole.badCount + whole.blankCount == whole.lineCount,
    "good + bad + blank != lines")
  for b in whole.recentBad {
    precondition(b.line >= 1 && b.line <= inputLines, "bad line number out of range")
  }

  let again = TailReader(path: "roundtrip")
  var back: [MetricRecord] = []
  for r in expected {
    let line = Array(MetricLineEncoder.line(r).utf8)
    _ = line.withUnsafeBytes { again.feed($0) { back.append($0) } }
  }
  precondition(again.badCount == 0, "re-encoded record is bad: \(again.recentBad)")
  precondition(back == expected, "re-encoded records read back differently")

  if size <= 400, let number = parseJSONNumber(UnsafeBufferPointer(start: data, count: size)) {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let want = Double(text)
    precondition(want != nil, "accepted \(text) that Double(String) rejects")
    precondition(
      number.bitPattern == want?.bitPattern, "\(text): parsed \(number), want \(want ?? 0)")
  }
  return 0
}

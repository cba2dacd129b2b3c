// fuzz-modules: RunLog Processes Sweeps Dashboard
// libFuzzer harness for the probes.jsonl reader (scripts/fuzz.sh, docs/fuzzing.md).
//
// The input is a probes file. It is fed to one ProbesParser whole and to
// another in chunks whose sizes come from a PRNG seeded by a hash of the
// input, and checks:
// - both parsers return the same probes, counts and bad-line reports;
// - while chunked, what was returned is always a prefix of the whole read
//   and the counters never go down;
// - good + bad lines add up to the non-blank complete lines of the input;
// - every probe is consistent (array lengths, first_diff, finite numbers),
//   and written back by ProbeLineEncoder reads back equal up to its rounding;
// - the token view lays every probe out at a random width without a
//   control character reaching a cell and without a row past the width.
@testable import Dashboard
@testable import RunLog

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = UnsafeRawBufferPointer(start: data, count: size)
  var rng = SplitMix(seed: fnv1a(bytes))
  // A small line limit makes the long-line path reachable by short inputs.
  let limit = 16 + Int(rng.next() % 2048)

  let whole = ProbesParser(path: "fuzz")
  whole.maxLineBytes = limit
  var expected: [ProbeRecord] = []
  let fed = whole.feed(bytes) { expected.append($0) }
  precondition(fed.records == expected.count, "poll record count")
  precondition(fed.badLines == whole.badCount, "poll bad count")

  let chunked = ProbesParser(path: "fuzz")
  chunked.maxLineBytes = limit
  var got: [ProbeRecord] = []
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
    precondition(got.count <= expected.count, "chunked read returned more probes than whole")
    for i in before..<got.count {
      precondition(got[i] == expected[i], "probe \(i) differs when fed in chunks")
    }
    precondition(chunked.lineCount >= lines && chunked.badCount >= bad, "a counter went down")
    lines = chunked.lineCount
    bad = chunked.badCount
  }
  precondition(got == expected, "chunked and whole reads differ")
  precondition(chunked.lineCount == whole.lineCount, "line counts differ")
  precondition(chunked.badCount == whole.badCount, "bad counts differ")
  precondition(chunked.recentBad == whole.recentBad, "bad-line reports differ")
  precondition(expected.count + whole.badCount == whole.lineCount, "good + bad != lines")

  // Complete lines that are not blank (the last, unterminated one waits).
  var complete = 0
  var blank = true
  for b in bytes {
    if b == 0x0A {
      if !blank { complete += 1 }
      blank = true
    } else if b != 0x20 && b != 0x09 && b != 0x0D {
      blank = false
    }
  }
  precondition(whole.lineCount == complete, "parser saw \(whole.lineCount) of \(complete) lines")

  for p in expected {
    precondition(p.chosenLogps.count == p.chosenTokens.count, "chosen lengths")
    precondition(p.chosenRefLogps.count == p.chosenTokens.count, "chosen ref lengths")
    precondition(p.rejectedLogps.count == p.rejectedTokens.count, "rejected lengths")
    precondition(p.rejectedRefLogps.count == p.rejectedTokens.count, "rejected ref lengths")
    precondition(
      p.firstDiff >= 0 && p.firstDiff <= min(p.chosenTokens.count, p.rejectedTokens.count))
    precondition(p.pair >= 0, "negative pair")
    let all = p.chosenLogps + p.rejectedLogps + p.chosenRefLogps + p.rejectedRefLogps
    precondition(all.allSatisfy(\.isFinite), "non-finite log-prob accepted")

    let line = Array(ProbeLineEncoder.line(p).utf8.dropLast())
    guard case .success(let back) = ProbesParser.record(line) else {
      preconditionFailure("re-encoded probe is bad")
    }
    precondition(back.step == p.step && back.pair == p.pair && back.prompt == p.prompt)
    precondition(back.chosenTokens == p.chosenTokens && back.rejectedTokens == p.rejectedTokens)
    precondition(back.firstDiff == p.firstDiff)
    let again = back.chosenLogps + back.rejectedLogps + back.chosenRefLogps + back.rejectedRefLogps
    for (a, b) in zip(all, again) {
      precondition(abs(a - b) <= 5.0001e-5 || a == b, "\(a) encoded as \(b)")
    }

    let width = 1 + Int(rng.next() % 120)
    let rows = TokenRows(
      record: p, width: width, glyphRow: rng.next() % 2 == 0, ascii: rng.next() % 2 == 0
    ).rows
    for row in rows {
      precondition(row.count <= max(width, TokenRows.labelWidth + 1), "row wider than the view")
      for cell in row {
        for s in cell.char.unicodeScalars where s != "\u{0}" {
          let v = s.value
          precondition(
            v >= 0x20 && v != 0x7F && !(0x80..<0xA0).contains(v)
              && !(0x202A...0x202E).contains(v) && !(0x2066...0x2069).contains(v),
            "control U+\(String(v, radix: 16)) in the token view")
        }
      }
    }
  }
  return 0
}

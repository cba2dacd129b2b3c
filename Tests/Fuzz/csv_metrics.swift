// fuzz-modules: RunLog
// libFuzzer harness for the metrics CSV reader (scripts/fuzz.sh, docs/fuzzing.md).
//
// The input is a CSV file. It is fed to one CSVMetricsParser whole and to
// another in chunks whose sizes come from a PRNG seeded by a hash of the
// input, and checks:
// - both give the same records, row and bad counts, bad reports and header;
// - while chunked, every record returned matches the whole read at its index
//   (nothing returned is taken back) and the counters never go down;
// - bad reports name lines inside the input, in non-decreasing order;
// - every record has a value, and each key comes from a header column mapped
//   to the record's split.
@testable import RunLog

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = UnsafeRawBufferPointer(start: data, count: size)
  var rng = SplitMix(seed: fnv1a(bytes))
  let limit = 8 + Int(rng.next() % 256)

  let whole = CSVMetricsParser(path: "fuzz")
  whole.maxRowBytes = limit
  var expected: [MetricRecord] = []
  whole.feed(bytes) { expected.append($0) }
  whole.finish { expected.append($0) }

  let chunked = CSVMetricsParser(path: "fuzz")
  chunked.maxRowBytes = limit
  var got: [MetricRecord] = []
  var offset = 0
  var rows = 0
  var bad = 0
  while offset < size {
    let n = min(size - offset, chunkSize(&rng))
    let before = got.count
    chunked.feed(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)])) { got.append($0) }
    offset += n
    precondition(got.count <= expected.count, "chunked read returned more records than whole")
    for i in before..<got.count {
      precondition(got[i] == expected[i], "record \(i) differs when fed in chunks")
    }
    precondition(chunked.rowCount >= rows && chunked.badCount >= bad, "a counter went down")
    rows = chunked.rowCount
    bad = chunked.badCount
  }
  chunked.finish { got.append($0) }
  precondition(got == expected, "chunked and whole reads differ")
  precondition(chunked.rowCount == whole.rowCount, "row counts differ")
  precondition(chunked.badCount == whole.badCount, "bad counts differ")
  precondition(chunked.recentBad == whole.recentBad, "bad reports differ")
  precondition(chunked.header == whole.header, "headers differ")

  var newlines = 0
  for b in bytes where b == 0x0A { newlines += 1 }
  var last = 0
  for b in whole.recentBad {
    precondition(b.line >= 1 && b.line <= newlines + 1, "bad line \(b.line) outside the input")
    precondition(b.line >= last, "bad reports out of order")
    last = b.line
  }
  // Every key of a record comes from a header column mapped to the record's split
  // (`eval_loss` → eval `loss`; `eval/eval_loss` → eval `eval_loss`), or is `epoch`.
  let mapped = Set(
    (whole.header ?? []).map { h -> String in
      let m = ImportedNames.fromFlatKey(h.trimmingSpaces)
      return "\(m.split.rawValue) \(m.key)"
    })
  for r in expected {
    precondition(!r.values.isEmpty, "empty record")
    for (k, _) in r.values where k != "epoch" {
      precondition(mapped.contains("\(r.split.rawValue) \(k)"), "key \(k) not from the header")
    }
  }
  return 0
}

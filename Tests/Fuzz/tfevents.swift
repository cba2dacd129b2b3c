// fuzz-modules: RunLog
// libFuzzer harness for the TensorBoard event-file reader (TFRecord framing +
// Event/Summary protobuf decoding; scripts/fuzz.sh, docs/fuzzing.md).
//
// The first byte picks how the rest is used:
// - even: the rest is raw file bytes (framing, resync, truncation);
// - odd: the rest is cut into payloads (a length byte, then that many bytes)
//   and each is wrapped in a valid TFRecord frame, with an input-derived few
//   corrupted, so the protobuf decoder sees arbitrary messages behind good CRCs.
// The bytes are fed to one parser whole and to another in chunks whose sizes
// come from a PRNG seeded by a hash of the input, and checks:
// - both give the same points, tags, texts, hparams, record and bad counts
//   and bad reports;
// - while chunked, every point returned matches the whole read at its index
//   (nothing returned is taken back) and the counters never go down;
// - bad reports name byte offsets inside the input, in increasing order;
// - the consumed offset never passes the input and only grows.
@testable import RunLog

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size > 0 else { return 0 }
  let input = UnsafeRawBufferPointer(start: data, count: size)
  var rng = SplitMix(seed: fnv1a(input))
  let bytes: [UInt8] = data[0] & 1 == 0 ? Array(input[1...]) : framed(input[1...], &rng)

  let whole = TFEventsParser(path: "fuzz")
  var expected: [TFScalarPoint] = []
  bytes.withUnsafeBytes { _ = whole.feed($0) { expected.append($0) } }
  whole.finish { expected.append($0) }
  precondition(whole.consumedOffset == Int64(bytes.count), "finish left bytes unconsumed")

  let chunked = TFEventsParser(path: "fuzz")
  var got: [TFScalarPoint] = []
  var offset = 0
  var records = 0
  var bad = 0
  var consumed: Int64 = 0
  while offset < bytes.count {
    let n = min(bytes.count - offset, chunkSize(&rng, smallMax: 12))
    let before = got.count
    bytes.withUnsafeBytes { raw in
      _ = chunked.feed(UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + n)])) {
        got.append($0)
      }
    }
    offset += n
    precondition(got.count <= expected.count, "chunked read returned more points than whole")
    for i in before..<got.count {
      precondition(got[i] == expected[i], "point \(i) differs when fed in chunks")
    }
    precondition(chunked.recordCount >= records && chunked.badCount >= bad, "a counter went down")
    precondition(
      chunked.consumedOffset >= consumed && chunked.consumedOffset <= Int64(offset),
      "consumed offset went back or past the input")
    records = chunked.recordCount
    bad = chunked.badCount
    consumed = chunked.consumedOffset
  }
  chunked.finish { got.append($0) }
  precondition(got == expected, "chunked and whole reads differ")
  precondition(chunked.recordCount == whole.recordCount, "record counts differ")
  precondition(chunked.badCount == whole.badCount, "bad counts differ")
  precondition(chunked.recentBad == whole.recentBad, "bad reports differ")
  precondition(chunked.tags == whole.tags, "tags differ")
  precondition(chunked.texts == whole.texts, "texts differ")
  precondition(chunked.hparams == whole.hparams, "hparams differ")
  for p in expected {
    precondition(p.tag >= 0 && p.tag < whole.tags.count, "tag index out of range")
  }

  var last: Int64 = -1
  for b in whole.recentBad {
    guard let r = b.reason.range(of: "byte offset "),
      let end = b.reason[r.upperBound...].firstIndex(of: ":"),
      let at = Int64(b.reason[r.upperBound..<end])
    else { preconditionFailure("bad report without an offset: \(b.reason)") }
    precondition(at >= 0 && at < Int64(max(bytes.count, 1)), "offset outside the input")
    precondition(at > last, "bad reports out of order")
    last = at
  }
  return 0
}

/// Wraps input-chosen payloads in TFRecord frames (valid CRCs unless corrupted on purpose).
private func framed(_ rest: UnsafeRawBufferPointer.SubSequence, _ rng: inout SplitMix) -> [UInt8] {
  var out: [UInt8] = []
  var i = rest.startIndex
  while i < rest.endIndex {
    let n = min(Int(rest[i]), rest.endIndex - i - 1)
    let payload = Array(rest[(i + 1)..<(i + 1 + n)])
    i += 1 + n
    var len = withUnsafeBytes(of: UInt64(payload.count).littleEndian, Array.init)
    let lenCRC = CRC32C.masked(CRC32C.checksum(len))
    let dataCRC = CRC32C.masked(CRC32C.checksum(payload))
    len += withUnsafeBytes(of: lenCRC.littleEndian, Array.init)
    var frame = len + payload + withUnsafeBytes(of: dataCRC.littleEndian, Array.init)
    if rng.next() % 16 == 0 {
      let at = Int(rng.next() % UInt64(frame.count))
      frame[at] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
    }
    if rng.next() % 32 == 0 { frame.removeLast(Int(rng.next() % UInt64(frame.count))) }
    out += frame
  }
  return out
}

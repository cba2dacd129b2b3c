// fuzz-modules: RunLog CPUID KernelSupport KernelsPlain KernelsAVX2 KernelsAVX512 Training
import Foundation
import Training

/// libFuzzer entry: feeds arbitrary bytes to the TRL-format preference loader.
///
/// Invariants (a failed precondition is a finding): the loader returns or
/// throws a `DataError`, never anything else; on success there is at least one
/// pair, every prompt/chosen/rejected is non-empty and the pair's normalised
/// edit distance is within [0, 1]; an error about a line names a line that
/// exists in the input; every message names the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Data(bytes: data, count: size)
  let lineCount = bytes.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
  do {
    let pairs = try PreferenceJSONL.parse(bytes, path: "fuzz.jsonl")
    precondition(!pairs.isEmpty, "success with no pairs")
    for pair in pairs {
      precondition(
        !pair.prompt.isEmpty && !pair.chosen.isEmpty && !pair.rejected.isEmpty,
        "empty field accepted")
      // Bound the quadratic edit distance so one input cannot stall the fuzzer.
      if pair.chosen.utf8.count * pair.rejected.utf8.count < 1_000_000 {
        let distance = pair.normalizedEditDistance
        precondition(distance >= 0 && distance <= 1, "edit distance \(distance) out of [0, 1]")
        let same = pair.chosen.unicodeScalars.elementsEqual(pair.rejected.unicodeScalars)
        precondition((distance == 0) == same, "distance 0 iff identical scalars")
      }
    }
  } catch let error as DataError {
    if let line = error.line {
      precondition(line >= 1 && line <= lineCount, "line \(line) outside 1...\(lineCount)")
    }
    precondition(error.description.hasPrefix("fuzz.jsonl"), "message does not name the file")
  } catch {
    preconditionFailure("unexpected error type: \(error)")
  }
  return 0
}

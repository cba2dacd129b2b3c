// fuzz-modules: RunLog CPUID KernelSupport KernelsPlain KernelsAVX2 KernelsAVX512 Training
import Foundation
import Training

/// libFuzzer entry: feeds arbitrary bytes to the SFT JSONL loader.
///
/// Invariants (a failed precondition is a finding): the loader returns or
/// throws a `DataError`, never anything else; on success there is at least one
/// row and every prompt and completion is non-empty; an error about a line
/// names a line that exists in the input; every message names the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Data(bytes: data, count: size)
  let lineCount = bytes.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
  do {
    let rows = try SFTJSONL.parse(bytes, path: "fuzz.jsonl")
    precondition(!rows.isEmpty, "success with no rows")
    for row in rows {
      precondition(!row.prompt.isEmpty && !row.completion.isEmpty, "empty field accepted")
      if let answer = row.answer { precondition(!answer.isEmpty, "empty answer extracted") }
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

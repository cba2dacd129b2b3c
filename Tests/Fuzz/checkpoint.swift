// fuzz-modules: RunLog CPUID KernelSupport KernelsPlain KernelsAVX2 KernelsAVX512 Training
import Foundation
import Training

/// libFuzzer entry: feeds arbitrary bytes to the checkpoint decoder.
///
/// Invariants (a failed precondition is a finding): decoding returns or
/// throws a `TrainingError` naming the file, never anything else; a decoded
/// checkpoint has as many parameters as its model shape says, moments both
/// present or both absent, finite parameters, and re-encodes to bytes that
/// decode to the same checkpoint bit for bit.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Data(bytes: data, count: size)
  do {
    let ckpt = try Checkpoint.decode(bytes, path: "fuzz.ckpt")
    let n = ParameterLayout(ckpt.header.model).count
    precondition(ckpt.parameters.count == n, "parameter count differs from the shape")
    precondition(ckpt.header.parameters == n, "header count differs from the shape")
    precondition(
      ckpt.firstMoments.count == ckpt.secondMoments.count
        && (ckpt.firstMoments.isEmpty || ckpt.firstMoments.count == n), "moment sizes")
    precondition(ckpt.parameters.allSatisfy(\.isFinite), "non-finite parameters accepted")
    let again = try Checkpoint.decode(ckpt.encoded(), path: "again")
    precondition(
      again.parameters.map(\.bitPattern) == ckpt.parameters.map(\.bitPattern)
        && again.firstMoments.map(\.bitPattern) == ckpt.firstMoments.map(\.bitPattern)
        && again.secondMoments.map(\.bitPattern) == ckpt.secondMoments.map(\.bitPattern)
        && again.header == ckpt.header, "re-encoding changed the checkpoint")
  } catch let error as TrainingError {
    precondition(
      error.description.hasPrefix("fuzz.ckpt") || error.description.hasPrefix("again"),
      "message does not name the file")
  } catch {
    preconditionFailure("unexpected error type: \(error)")
  }
  return 0
}

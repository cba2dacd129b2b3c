// fuzz-modules: RunLog Processes Sweeps
// libFuzzer harness for sweep.json (SweepManifest.read), a file anyone can edit.
//
// Invariants:
// - reading never crashes, and a refusal is a SweepError naming the file;
// - every run name it accepts is one safe path component (it becomes
//   sweepDir/<name>, so it must not leave the sweep directory);
// - write → read is a fixed point of what was accepted.
import Foundation
import Sweeps

private let dir: String = {
  let path = NSTemporaryDirectory() + "dpotop-fuzz-sweep-\(getpid())"
  try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Data(bytes: data, count: size)
  let path = dir + "/" + SweepManifest.fileName
  guard FileManager.default.createFile(atPath: path, contents: bytes) else { return 0 }
  let manifest: SweepManifest
  do {
    manifest = try SweepManifest.read(from: dir)
  } catch {
    precondition(error.description.contains(SweepManifest.fileName), "a refusal names the file")
    return 0
  }
  for run in manifest.runs {
    precondition(!run.name.isEmpty && !run.name.contains("/"), "run name leaves the directory")
    precondition(run.name != "." && run.name != ".." && !run.name.hasPrefix("."), "hidden name")
    precondition(!run.name.unicodeScalars.contains { $0.value < 0x20 }, "control character")
  }
  do {
    try manifest.write(to: dir)
    let again = try SweepManifest.read(from: dir)
    precondition(again == manifest, "write → read must give back what was read")
  } catch {
    preconditionFailure("an accepted manifest must write and read back: \(error)")
  }
  return 0
}

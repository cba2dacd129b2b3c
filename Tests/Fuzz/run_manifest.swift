// fuzz-modules: RunLog
// libFuzzer harness for run.json (RunManifest.decode; scripts/fuzz.sh, docs/fuzzing.md).
//
// The input is a manifest file. Checks:
// - decoding never crashes; a rejection is a RunLogError naming the file;
// - a manifest that decodes re-encodes to bytes that decode again, and
//   decode → encode is a fixed point (the same bytes the second time);
// - the compact encoding decodes to the same manifest.
import Foundation
import RunLog

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Data(bytes: data, count: size)
  let manifest: RunManifest
  do {
    manifest = try RunManifest.decode(bytes, path: "fuzz/run.json")
  } catch {
    precondition(error.description.hasPrefix("fuzz/run.json: "), "error without path: \(error)")
    return 0
  }
  let once = manifest.encoded()
  let again: RunManifest
  do {
    again = try RunManifest.decode(once, path: "re-encoded")
  } catch {
    preconditionFailure("re-encoded manifest does not decode: \(error)\n\(text(once))")
  }
  let twice = again.encoded()
  precondition(
    once == twice, "decode → encode is not a fixed point:\n\(text(once))\n\(text(twice))")
  do {
    let compact = try RunManifest.decode(manifest.encodedCompact(), path: "compact")
    precondition(compact.encoded() == once, "compact encoding decodes differently")
  } catch {
    preconditionFailure("compact encoding does not decode: \(error)")
  }
  return 0
}

private func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

// fuzz-modules: RunLog Processes Sweeps Dashboard
// Fuzzes the theme-file parser (Dashboard/Theme/ThemeParser.swift).
// Invariants: parsing is deterministic; errors and warnings name a line that
// exists; every colour of a parsed theme is in range; a parsed theme written
// back out (`fileText`) parses to the same theme without warnings.
import Dashboard

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  let lineCount = text.split(separator: "\n", omittingEmptySubsequences: false).count
  let first: ThemeParser.Result
  do {
    first = try ThemeParser.parse(text, path: "fuzz.theme", name: "fuzz")
  } catch {
    precondition((1...max(1, lineCount)).contains(error.line), "error line \(error.line)")
    precondition(!error.description.isEmpty)
    do {
      _ = try ThemeParser.parse(text, path: "fuzz.theme", name: "fuzz")
      preconditionFailure("second parse succeeded")
    } catch {}
    return 0
  }
  for w in first.warnings {
    precondition((1...max(1, lineCount)).contains(w.line), "warning line \(w.line)")
  }
  for (_, c) in first.theme.colors {
    precondition(
      c.rgb <= 0xFF_FFFF && (0...255).contains(c.index256) && (0...15).contains(c.index16))
  }
  guard let again = try? ThemeParser.parse(text, path: "fuzz.theme", name: "fuzz") else {
    preconditionFailure("second parse failed")
  }
  precondition(again == first, "not deterministic")
  guard let back = try? ThemeParser.parse(first.theme.fileText, path: "out", name: "fuzz") else {
    preconditionFailure("fileText does not parse")
  }
  precondition(back.warnings.isEmpty && back.theme == first.theme, "fileText round trip differs")
  return 0
}

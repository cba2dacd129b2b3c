// fuzz-modules: RunLog Processes Sweeps Dashboard CNcurses Terminal
// Fuzzes the terminal key decoder (Terminal/KeyDecoder.swift) with arbitrary
// input: bytes are read as UTF-8 (invalid sequences become U+FFFD), and a
// 0xFF byte followed by one byte is an ncurses function-key code 0o400 + b.
// Invariants: any split of the input decodes the same as the whole; never
// more events than inputs; flush leaves nothing pending; no control
// character comes out as a `.char`; F-keys are F1...F12.
import Dashboard
import Terminal

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  guard !bytes.isEmpty else { return 0 }
  let inputs = keyDecoderInputs(Array(bytes.dropFirst()))
  var whole = KeyDecoder()
  let expected = whole.feed(inputs) + whole.flush()
  precondition(!whole.isPending, "pending after flush")
  precondition(expected.count <= inputs.count, "more events than inputs")
  for event in expected {
    if case .key(.char(let c)) = event, let s = c.unicodeScalars.first {
      precondition(s.value >= 0x20 && !(0x7F...0x9F).contains(s.value), "control as char")
    }
    if case .key(.function(let n)) = event { precondition((1...12).contains(n), "F\(n)") }
  }
  // Split at a point chosen by the first byte, and at every point for short inputs.
  var cuts = [Int(bytes[0]) % (inputs.count + 1)]
  if inputs.count <= 24 { cuts = Array(0...inputs.count) }
  for cut in cuts {
    var d = KeyDecoder()
    let got = d.feed(Array(inputs[..<cut])) + d.feed(Array(inputs[cut...])) + d.flush()
    precondition(got == expected, "split at \(cut) decodes differently")
  }
  return 0
}

func keyDecoderInputs(_ bytes: [UInt8]) -> [KeyDecoder.Input] {
  var inputs: [KeyDecoder.Input] = []
  var run: [UInt8] = []
  func flushRun() {
    for s in String(decoding: run, as: UTF8.self).unicodeScalars { inputs.append(.scalar(s.value)) }
    run = []
  }
  var i = 0
  while i < bytes.count {
    if bytes[i] == 0xFF, i + 1 < bytes.count {
      flushRun()
      inputs.append(.code(0o400 + Int32(bytes[i + 1])))
      i += 2
      continue
    }
    run.append(bytes[i])
    i += 1
  }
  flushRun()
  return inputs
}

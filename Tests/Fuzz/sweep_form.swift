// fuzz-modules: RunLog Sweeps Dashboard
// libFuzzer harness for the sweep form and the option validation behind it
// (SweepSpec.set, shared with `dpotop sweep`). Bytes become key presses.
//
// Invariants:
// - a field's text never exceeds SweepForm.maxFieldLength;
// - a field shown without an error reads back into the spec with the same value;
// - whatever the form launches passes SweepSpec.validate() and every field
//   of it re-parses from its own text to the same spec;
// - a value SweepSpec.set refuses leaves the spec unchanged.
import Dashboard
import Sweeps

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  var form = SweepForm()
  var i = 0
  while i < size {
    let b = data[i]
    i += 1
    let key: Key
    switch b {
    case 0x01: key = .tab
    case 0x02: key = .backTab
    case 0x03: key = .enter
    case 0x04: key = .backspace
    case 0x05: key = .ctrl("u")
    case 0x06: key = .escape
    case 0x07: key = .up
    case 0x08: key = .down
    case 0x09:
      // A run of one character: reaches the length cap cheaply.
      let n = i < size ? Int(data[i]) : 0
      i += 1
      for _ in 0..<n { _ = form.handle(.char("9")) }
      continue
    default:
      key = .char(Character(Unicode.Scalar(b)))
    }
    let outcome = form.handle(key)
    if case .launch(let spec) = outcome {
      do {
        try spec.validate()
        var copy = SweepSpec()
        for f in SweepSpec.Field.allCases { try copy.set(f, spec.text(f)) }
        precondition(copy == spec, "a launched spec must re-parse from its own text")
      } catch {
        preconditionFailure("the form launched an invalid spec: \(error)")
      }
    }
    for f in SweepForm.fields {
      let text = form.texts[f] ?? ""
      precondition(text.utf8.count <= SweepForm.maxFieldLength, "field longer than the cap")
    }
    // A refused value never changes the spec.
    var spec = form.spec
    let before = spec
    let field = form.focusedField
    do {
      try spec.set(field, form.texts[field] ?? "")
    } catch {
      precondition(spec == before, "a refused value changed the spec")
      precondition(form.errors[field] != nil, "a refused value shown without an error")
    }
  }
  return 0
}

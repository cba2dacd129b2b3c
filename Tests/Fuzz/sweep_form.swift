// fuzz-modules: RunLog Processes Sweeps Dashboard
// libFuzzer harness for the sweep form and the option validation behind it
// (SweepLaunch.set / SweepSpec.set, shared with `dpotop sweep`). Bytes become
// key presses.
//
// Invariants:
// - a field's text never exceeds SweepForm.maxFieldLength;
// - whatever the form launches passes SweepLaunch.validate(), uses a backend
//   the form offers, and every field of it (slurm args included) re-parses
//   from its own text to the same launch;
// - a value SweepLaunch.set refuses leaves the launch unchanged.
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
    if case .launch(let launch) = outcome {
      precondition(
        SweepForm.formBackends.contains(launch.backend), "launched a backend not offered")
      do {
        try launch.validate()
        var copy = SweepLaunch()
        for f in SweepLaunch.Field.allCases { try copy.set(f, launch.text(f)) }
        precondition(copy == launch, "a launched sweep must re-parse from its own text")
      } catch {
        preconditionFailure("the form launched an invalid sweep: \(error)")
      }
    }
    for f in SweepForm.fields {
      let text = form.texts[f] ?? ""
      precondition(text.utf8.count <= SweepForm.maxFieldLength, "field longer than the cap")
    }
    // A refused value never changes the launch.
    var launch = form.launch
    let before = launch
    let field = form.focusedField
    do {
      try launch.set(field, form.texts[field] ?? "")
    } catch {
      precondition(launch == before, "a refused value changed the launch")
      precondition(form.errors[field] != nil, "a refused value shown without an error")
    }
  }
  return 0
}

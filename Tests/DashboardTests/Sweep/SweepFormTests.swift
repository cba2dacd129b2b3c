import Sweeps
import Testing

@testable import Dashboard

@Suite struct SweepFormTests {
  private func type(_ text: String, into form: inout SweepForm) {
    for c in text { _ = form.handle(.char(c)) }
  }

  private func clearAndType(_ text: String, into form: inout SweepForm) {
    _ = form.handle(.ctrl("u"))
    type(text, into: &form)
  }

  @Test func prefilledWithTheDefaultsAndLaunchesThem() {
    var form = SweepForm()
    #expect(form.texts[.betas] == "0.1,0.3,1.0")
    #expect(form.texts[.objectives] == "dpo,dpop")
    #expect(form.texts[.backend] == "local")
    #expect(form.texts[.slurmArgs] == "")
    #expect(form.handle(.enter) == .launch(SweepLaunch()))
  }

  @Test func aZeroBetaIsRefusedAsTypedAndNotLaunched() {
    var form = SweepForm()
    _ = form.handle(.tab)  // betas
    #expect(form.focusedField == .betas)
    clearAndType("0.1,0", into: &form)
    #expect(form.errors[.betas] == "β must be > 0, got 0")
    #expect(form.handle(.enter) == .none)
    #expect(form.message == "fix betas first: β must be > 0, got 0")
    type(".5", into: &form)  // "0.1,0.5"
    #expect(form.errors[.betas] == nil)
    var expected = SweepSpec()
    expected.betas = [0.1, 0.5]
    #expect(form.handle(.enter) == .launch(SweepLaunch(spec: expected)))
  }

  @Test func lettersInANumberFieldAreRefused() {
    var form = SweepForm()
    _ = form.handle(.tab)
    clearAndType("abc", into: &form)
    #expect(form.errors[.betas] == "'abc' is not a number")
    _ = form.handle(.tab)
    _ = form.handle(.tab)  // steps
    #expect(form.focusedField == .steps)
    type("x", into: &form)
    #expect(form.errors[.steps] != nil)
    #expect(form.handle(.enter) == .none)
    #expect(form.focusedField == .betas, "Enter moves focus to the first bad field")
  }

  @Test func aHugePasteIsCappedAndFlagged() {
    var form = SweepForm()
    _ = form.handle(.ctrl("u"))
    type(String(repeating: "dpo,", count: 2600), into: &form)  // 10.4 kB
    #expect(form.texts[.objectives]?.utf8.count == SweepForm.maxFieldLength)
    #expect(form.message == "objectives: at most 4096 bytes")
    #expect(form.errors[.objectives] != nil)
  }

  @Test func escapeClosesAndLaunchFailuresAreShown() {
    var form = SweepForm()
    form.launchFailed("out: runs/sweep already exists; nothing was overwritten")
    #expect(form.message?.contains("already exists") == true)
    type("x", into: &form)
    #expect(form.message == nil)
    #expect(form.handle(.escape) == .close)
  }
}

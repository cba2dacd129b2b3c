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

@Suite struct SweepFormBackendTests {
  private func focus(_ field: SweepLaunch.Field, in form: inout SweepForm) {
    while form.focusedField != field { _ = form.handle(.tab) }
  }

  private func replace(_ field: SweepLaunch.Field, with text: String, in form: inout SweepForm) {
    focus(field, in: &form)
    _ = form.handle(.ctrl("u"))
    for c in text { _ = form.handle(.char(c)) }
  }

  @Test func anUnknownBackendIsRefusedAsTyped() {
    var form = SweepForm()
    replace(.backend, with: "k8s", in: &form)
    #expect(form.errors[.backend] == "unknown backend 'k8s'")
    #expect(form.handle(.enter) == .none)
    #expect(form.message == "fix backend first: unknown backend 'k8s'")
  }

  @Test func commandIsRefusedWithThePointerToTheCommandLine() {
    var form = SweepForm()
    replace(.backend, with: "command", in: &form)
    #expect(
      form.errors[.backend]?.hasPrefix("command needs an argv template: use 'dpotop sweep") == true)
    #expect(form.launch.backend == .local, "a refused backend does not change the launch")
    #expect(form.handle(.enter) == .none)
  }

  @Test func slurmArgsWithTheLocalBackendAreRefusedAtEnterAndFocused() {
    var form = SweepForm()
    replace(.slurmArgs, with: "--time=5", in: &form)
    #expect(form.errors[.slurmArgs] == nil, "valid on its own")
    #expect(
      form.combinationProblem
        == "slurm args: sbatch options only apply to backend slurm (this sweep is local)")
    focus(.objectives, in: &form)
    #expect(form.handle(.enter) == .none)
    #expect(form.focusedField == .slurmArgs)
    #expect(form.message == form.combinationProblem)
    replace(.backend, with: "slurm", in: &form)
    #expect(form.combinationProblem == nil)
    #expect(
      form.handle(.enter) == .launch(SweepLaunch(backend: .slurm, slurmArgs: ["--time=5"])))
  }

  @Test func aBadSbatchOptionIsRefusedAsTyped() {
    var form = SweepForm()
    replace(.backend, with: "slurm", in: &form)
    replace(.slurmArgs, with: "gpu", in: &form)
    #expect(form.errors[.slurmArgs] == "'gpu' is not an sbatch option")
    replace(.slurmArgs, with: "--comment 'a b", in: &form)
    #expect(form.errors[.slurmArgs] == "unclosed ' quote")
  }
}

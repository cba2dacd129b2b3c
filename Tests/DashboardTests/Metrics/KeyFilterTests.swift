import Testing

@testable import Dashboard

@Suite struct KeyFilterTests {
  @Test func plainTextIsASubstringSearchInAnyCase() {
    let f = KeyFilter("Grad")
    #expect(f.matches("grad_norm"))
    #expect(f.matches("layer1/GRAD"))
    #expect(!f.matches("loss"))
    #expect(!f.isGlob)
  }

  @Test func aValidRegexIsSearched() {
    let f = KeyFilter("^(rewards|logps)/")
    #expect(f.matches("rewards/chosen"))
    #expect(f.matches("logps/rejected"))
    #expect(!f.matches("eval_rewards/chosen"))
    #expect(!f.isGlob)
  }

  @Test func anInvalidRegexIsAGlobOverTheWholeKey() {
    let f = KeyFilter("*norm")
    #expect(f.isGlob)
    #expect(f.matches("grad_norm"))
    #expect(f.matches("block2/weight_NORM"))
    #expect(!f.matches("grad_norm_max"))
    let g = KeyFilter("*/ch?sen")
    #expect(g.isGlob == false || g.matches("rewards/chosen"))
    #expect(KeyFilter.glob(Array("a*b?d"), Array("axxbcd")))
    #expect(!KeyFilter.glob(Array("a*b?d"), Array("axxbd")))
    #expect(KeyFilter.glob(Array("*"), Array("")))
  }

  @Test func keysAreGroupedByPrefix() {
    #expect(MetricKeyEntry.group(of: "rewards/chosen") == "rewards/")
    #expect(MetricKeyEntry.group(of: "eval_loss") == "eval_")
    #expect(MetricKeyEntry.group(of: "grad_norm") == "")
  }
}

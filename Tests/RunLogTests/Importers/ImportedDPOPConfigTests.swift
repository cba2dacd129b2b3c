import Testing

@testable import RunLog

/// The TRL integration's `--loss_type dpop --dpop_lambda X` (integrations/trl)
/// as the importers read it from HF Trainer's `args` summary.
@Suite struct ImportedDPOPConfigTests {
  func config(_ text: String) throws -> ImportedConfig {
    var c = ImportedConfig()
    c.fill(origin: "args", json: try LenientJSON.parse(Array(text.utf8)))
    return c
  }

  @Test func aDPOPRunHasItsLambda() throws {
    let c = try config(#"{"beta": 0.3, "loss_type": ["dpop"], "dpop_lambda": 50.0}"#)
    #expect(c.objective == "dpop")
    #expect(c.beta == 0.3)
    #expect(c.lambda == 50)
  }

  @Test func aDPORunOfTheIntegrationHasNoLambda() throws {
    // The preset passes --dpop_lambda to every run; only dpop has a penalty.
    let c = try config(#"{"beta": 0.1, "loss_type": ["sigmoid"], "dpop_lambda": 50.0}"#)
    #expect(c.objective == "dpo")
    #expect(c.dpopLambda == 50)
    #expect(c.lambda == nil)
  }

  @Test func aMalformedLambdaIsIgnored() throws {
    let c = try config(#"{"loss_type": "dpop", "dpop_lambda": "lots"}"#)
    #expect(c.objective == "dpop")
    #expect(c.lambda == nil)
  }
}

import Foundation
import Testing

@testable import RunLog

@Suite struct MetricLineEncoderTests {
  @Test func encodesKeysInOrderWithPythonNonFiniteSpellings() {
    let r = MetricRecord(
      step: 7, time: 1.5, split: .eval,
      values: [("loss", 0.25), ("rewards/chosen", .nan), ("x", .infinity), ("y", -.infinity)])
    #expect(
      MetricLineEncoder.line(r)
        == "{\"step\":7,\"time\":1.5,\"split\":\"eval\",\"loss\":0.25,\"rewards/chosen\":NaN,"
        + "\"x\":Infinity,\"y\":-Infinity}\n")
  }

  @Test func escapesControlCharactersInKeys() {
    var out = ""
    appendJSONString("a\"b\\c\u{1B}[31m\u{202E}", to: &out)
    #expect(out == "\"a\\\"b\\\\c\\u001b[31m\\u202e\"")
  }
}

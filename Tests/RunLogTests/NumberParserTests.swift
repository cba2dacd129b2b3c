import Foundation
import Testing

@testable import RunLog

@Suite struct NumberParserTests {
  private func parse(_ s: String) -> Double? {
    Array(s.utf8).withUnsafeBufferPointer { parseJSONNumber($0) }
  }

  private func expectExact(_ s: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let want = Double(s) else {
      Issue.record("Double(\(s)) is nil", sourceLocation: sourceLocation)
      return
    }
    let got = parse(s)
    #expect(
      got?.bitPattern == want.bitPattern, "\(s): got \(String(describing: got)), want \(want)",
      sourceLocation: sourceLocation)
  }

  @Test func hardCasesRoundExactlyLikeTheStandardLibrary() {
    let cases = [
      "0", "-0", "1", "-1", "0.1", "0.2", "0.30000000000000004", "1e23", "8.41e21",
      "9007199254740993", "9007199254740992", "18014398509481985", "4503599627370497.5",
      "2.2250738585072011e-308", "2.2250738585072014e-308", "4.9406564584124654e-324",
      "5e-324", "1e-400", "1.7976931348623157e308", "1.7976931348623158e308", "1.8e308",
      "1e309", "123456789012345678901234567890", "0.000000000000000000000000000001",
      "7.2057594037927933e16", "3.4028234663852886e38",
      "1.00000000000000011102230246251565404236316680908203125",
      "1.00000000000000011102230246251565404236316680908203124",
      "1.0000000000000002220446049250313",
      "6.9294956446009195e15", "0.6931471805599453", "12345678901234567890", "1e-5", "100e-2",
      "000123.4500", "1E+2", "1e-0", "-2.5e-3", "0e99999999999", "1e99999999999",
      "1e-99999999999", "1.5", "2.5e-320", "9.999999999999999e22", "1e22", "1e-22",
    ]
    for c in cases { expectExact(c) }
  }

  @Test func randomDoublesRoundTripThroughTheirShortestText() {
    var rng = SplitMix64(seed: 2024)
    for _ in 0..<100_000 {
      let d = Double(bitPattern: rng.next())
      guard d.isFinite else { continue }
      expectExact("\(d)")
      expectExact(String(format: "%.17g", d))
    }
  }

  @Test func randomDecimalStringsMatchTheStandardLibrary() {
    var rng = SplitMix64(seed: 99)
    for _ in 0..<100_000 {
      let digits = 1 + Int(rng.next() % 25)
      var s = rng.next() % 2 == 0 ? "-" : ""
      s += String((0..<digits).map { _ in Character(String(rng.next() % 10)) })
      if rng.next() % 2 == 0 {
        let at = s.index(s.endIndex, offsetBy: -Int(rng.next() % UInt64(digits)))
        if at != s.endIndex, s[s.index(before: at)] != "-" { s.insert(".", at: at) }
      }
      if rng.next() % 2 == 0 { s += "e\(Int(rng.next() % 700) - 350)" }
      expectExact(s)
    }
  }

  @Test func notNumbersAreRejected() {
    for s in ["", "-", ".5", "1.", "1e", "1e+", "+1", "--1", "1x", "0x10", "inf", "NaN", " 1"] {
      #expect(parse(s) == nil, "\(s)")
    }
  }
}

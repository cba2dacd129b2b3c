import Testing

@testable import Dashboard

@Suite struct NumberFormatTests {
  @Test func compactNumbers() {
    #expect(NumberFormat.compact(0) == "0")
    #expect(NumberFormat.compact(0.6931) == "0.6931")
    #expect(NumberFormat.compact(-12.345) == "-12.35")
    #expect(NumberFormat.compact(1234.5) == "1234.5")
    #expect(NumberFormat.compact(12345) == "12.3k")
    #expect(NumberFormat.compact(0.00005) == "5.0e-5")
    #expect(NumberFormat.compact(.nan) == "nan")
    #expect(NumberFormat.step(999) == "999")
    #expect(NumberFormat.step(12_500) == "12.5k")
    #expect(NumberFormat.step(1_000_000) == "1M")
  }

  @Test func niceTicks() {
    let (v, step) = NumberFormat.ticks(-0.3, 1.7, count: 4)
    #expect(step == 0.5)
    #expect(v == [0, 0.5, 1, 1.5])
    #expect(NumberFormat.tick(0.5, step: 0.5) == "0.5")
    #expect(NumberFormat.tick(-20, step: 10) == "-20")
    #expect(NumberFormat.ticks(1, 1, count: 3).values.isEmpty)
  }
}

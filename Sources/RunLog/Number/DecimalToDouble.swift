import Foundation

/// Exact conversion of a decimal significand and power of ten to the nearest
/// `Double`, the way `strtod` rounds (round half to even), but without a libc
/// call, a NUL-terminated copy or a locale.
///
/// Why: a metrics file is mostly full-precision doubles (17 significant
/// digits, as Python and Swift print them), and `strtod` was the largest cost
/// of reading one. Three tiers, each exact where it answers:
/// 1. Clinger's fast path: significand ≤ 2^53 and |exponent| ≤ 22 — one
///    exactly representable multiply or divide.
/// 2. Eisel–Lemire: a 128-bit product with a truncated power of five; it
///    answers unless the product is too close to a rounding boundary, or the
///    result is subnormal.
/// 3. `strtod` on the original text for whatever is left (and for inputs with
///    more than 19 significant digits).
enum DecimalToDouble {
  /// The double nearest to `w`·10^`q` (w < 2^64), or nil when only a full
  /// big-number conversion could decide (the caller then uses `strtod`).
  static func convert(_ w: UInt64, _ q: Int) -> Double? {
    if w == 0 { return 0 }
    if q >= -22, q <= 22, w <= 1 << 53 {
      let d = Double(w)
      return q < 0 ? d / exactPowersOfTen[-q] : d * exactPowersOfTen[q]
    }
    return eiselLemire(w, q)
  }

  /// 10^0 ... 10^22, every one exactly representable as a Double.
  private static let exactPowersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
  ]

  /// Lemire, "Number Parsing at a Gigabyte per Second" (2021), section 5, for binary64.
  private static func eiselLemire(_ w0: UInt64, _ q: Int) -> Double? {
    // Below 10^-342 even the largest significand rounds to zero; above 10^308 to infinity.
    if q < -342 { return 0 }
    if q > 308 { return .infinity }
    let lz = w0.leadingZeroBitCount
    let w = w0 << UInt64(lz)
    let index = 2 * (q + 342)
    var (hi, lo) = powersOfFive128.withUnsafeBufferPointer { t in
      w.multipliedFullWidth(by: t[index])
    }
    // The 55 bits that matter may still change with the low word of 5^q: refine.
    if hi & 0x1FF == 0x1FF {
      let hi2 = powersOfFive128.withUnsafeBufferPointer { t in
        w.multipliedFullWidth(by: t[index + 1]).high
      }
      let (sum, carry) = lo.addingReportingOverflow(hi2)
      lo = sum
      if carry { hi &+= 1 }
      // Still ambiguous after the refinement: let strtod decide.
      if lo == .max, q < -27 || q > 55 { return nil }
    }
    let upper = Int(hi >> 63)
    let shift = UInt64(upper + 9)
    var mantissa = hi >> shift
    var power2 = (((152_170 + 65_536) * q) >> 16) + 63 + upper - lz + 1023
    // Subnormal results need a different rounding; they are rare in metrics.
    if power2 <= 0 { return nil }
    // Exactly halfway between two doubles (possible only for small q): round to even.
    if lo <= 1, q >= -4, q <= 23, mantissa & 3 == 1, mantissa << shift == hi {
      mantissa &= ~1
    }
    mantissa += mantissa & 1
    mantissa >>= 1
    if mantissa >= 1 << 53 {
      mantissa = 1 << 52
      power2 += 1
    }
    mantissa &= ~(1 << 52)
    if power2 >= 0x7FF { return .infinity }
    return Double(bitPattern: UInt64(power2) << 52 | mantissa)
  }
}

/// Parses a JSON number occupying all of `bytes` (leading zeros tolerated);
/// nil when the bytes are not one. Exact: the same Double as `Double(String)`.
func parseJSONNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
  var scanner = NumberScanner(bytes, at: 0)
  guard let v = scanner.scan(), scanner.end == bytes.count else { return nil }
  return v
}

/// Scans one JSON number from a byte position, accumulating the significand
/// as it goes so the digits are read once.
struct NumberScanner {
  let buf: UnsafeBufferPointer<UInt8>
  let start: Int
  /// Position after the number (valid after a successful `scan`).
  var end: Int

  init(_ buf: UnsafeBufferPointer<UInt8>, at start: Int) {
    self.buf = buf
    self.start = start
    self.end = start
  }

  /// The number's value, or nil if the bytes at `start` are not a JSON number.
  mutating func scan() -> Double? {
    var i = start
    let n = buf.count
    var negative = false
    if i < n, buf[i] == UInt8(ascii: "-") {
      negative = true
      i += 1
    }
    // Every digit goes into w (wrapping); more than 19 significant digits
    // are rare and go to strtod.
    var w: UInt64 = 0
    let intStart = i
    eightDigitsAtATime(&w, &i)
    while i < n {
      let d = buf[i] &- 0x30
      guard d < 10 else { break }
      w = w &* 10 &+ UInt64(d)
      i += 1
    }
    guard i > intStart else { return nil }
    var digits = i - intStart
    var exp10 = 0
    if i < n, buf[i] == UInt8(ascii: ".") {
      i += 1
      let fracStart = i
      eightDigitsAtATime(&w, &i)
      while i < n {
        let d = buf[i] &- 0x30
        guard d < 10 else { break }
        w = w &* 10 &+ UInt64(d)
        i += 1
      }
      guard i > fracStart else { return nil }
      digits += i - fracStart
      exp10 = fracStart - i
    }
    if digits > 19 {
      // Leading zeros (and the point among them) are not significant.
      var j = intStart
      while j < i, buf[j] == UInt8(ascii: "0") || buf[j] == UInt8(ascii: ".") {
        if buf[j] == UInt8(ascii: "0") { digits -= 1 }
        j += 1
      }
    }
    if i < n, buf[i] | 0x20 == UInt8(ascii: "e") {
      i += 1
      var expNegative = false
      if i < n, buf[i] == UInt8(ascii: "+") || buf[i] == UInt8(ascii: "-") {
        expNegative = buf[i] == UInt8(ascii: "-")
        i += 1
      }
      let expStart = i
      var e = 0
      while i < n {
        let d = buf[i] &- 0x30
        guard d < 10 else { break }
        // Saturate: anything this large is zero or infinity anyway.
        if e < 1 << 40 { e = e * 10 + Int(d) }
        i += 1
      }
      guard i > expStart else { return nil }
      exp10 += expNegative ? -e : e
    }
    end = i
    if digits <= 19, let v = DecimalToDouble.convert(w, exp10) {
      return negative ? -v : v
    }
    return slowPath(i)
  }

  /// Consumes runs of eight digits with a few word operations each (the
  /// SWAR trick of fast_float), leaving the remainder to the byte loop.
  @inline(__always)
  private func eightDigitsAtATime(_ w: inout UInt64, _ i: inout Int) {
    guard let base = buf.baseAddress else { return }
    while i + 8 <= buf.count {
      let v = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
      // All eight bytes are '0'...'9' (little-endian word).
      let hi = v & 0xF0F0_F0F0_F0F0_F0F0
      let carry = ((v &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) >> 4
      guard hi | carry == 0x3333_3333_3333_3333 else { return }
      var x = v &- 0x3030_3030_3030_3030
      x = (x &* 10) &+ (x >> 8)
      let mask: UInt64 = 0x0000_00FF_0000_00FF
      x =
        (((x & mask) &* 0x000F_4240_0000_0064) &+ (((x >> 16) & mask) &* 0x0000_2710_0000_0001))
        >> 32
      w = w &* 100_000_000 &+ (x & 0xFFFF_FFFF)
      i += 8
    }
  }

  /// `strtod` on a NUL-terminated copy of the number's text.
  private func slowPath(_ end: Int) -> Double {
    let count = end - start
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { s in
      for j in 0..<count { s[j] = CChar(bitPattern: buf[start + j]) }
      s[count] = 0
      return strtod(s.baseAddress!, nil)
    }
  }
}

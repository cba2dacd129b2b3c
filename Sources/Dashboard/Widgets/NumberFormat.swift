/// Short number formats for axis labels and table cells, without Foundation.
enum NumberFormat {
  /// `v` with exactly `decimals` digits after the point (`-1.50`).
  static func fixed(_ v: Double, _ decimals: Int) -> String {
    guard v.isFinite else { return v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }
    let d = max(0, min(decimals, 9))
    var scale = 1.0
    for _ in 0..<d { scale *= 10 }
    let r = (abs(v) * scale).rounded()
    guard r < 9e15 else { return exponent(v) }
    let whole = Int(r / scale)
    let frac = Int(r - Double(whole) * scale)
    var s = (v < 0 && r != 0 ? "-" : "") + String(whole)
    if d > 0 {
      let f = String(frac)
      s += "." + String(repeating: "0", count: d - f.count) + f
    }
    return s
  }

  /// `1.2e-5` style.
  static func exponent(_ v: Double) -> String {
    guard v.isFinite, v != 0 else { return fixed(v, 0) }
    var e = 0
    var m = abs(v)
    while m >= 10 {
      m /= 10
      e += 1
    }
    while m < 1 {
      m *= 10
      e -= 1
    }
    if (m * 10).rounded() >= 100 {
      m /= 10
      e += 1
    }
    return (v < 0 ? "-" : "") + fixed(m, 1) + "e" + String(e)
  }

  /// At most ~6 characters: `1.234`, `-12.35`, `1234`, `12.3k`, `4.5e-5`.
  static func compact(_ v: Double) -> String {
    guard v.isFinite else { return fixed(v, 0) }
    let a = abs(v)
    if a == 0 { return "0" }
    if a >= 1e6 || a < 1e-3 { return exponent(v) }
    if a >= 1e4 { return trimZero(fixed(v / 1000, 1)) + "k" }
    if a >= 100 { return trimZero(fixed(v, 1)) }
    if a >= 10 { return trimZero(fixed(v, 2)) }
    if a >= 1 { return trimZero(fixed(v, 3)) }
    return trimZero(fixed(v, 4))
  }

  /// `mean±sd` with about three significant digits each (`-19.4±6.1`,
  /// `0.53±0.09`); `+-` in ASCII.
  static func meanSD(_ mean: Double, _ sd: Double, ascii: Bool) -> String {
    short(mean) + (ascii ? "+-" : "±") + short(sd)
  }

  /// About three significant digits, for `meanSD`.
  static func short(_ v: Double) -> String {
    let a = abs(v)
    guard v.isFinite, a != 0 else { return fixed(v, 0) }
    if a >= 1000 || a < 0.001 { return compact(v) }
    if a >= 100 { return fixed(v, 0) }
    if a >= 10 { return fixed(v, 1) }
    if a >= 0.01 { return fixed(v, 2) }
    return fixed(v, 3)
  }

  /// A step count: `950`, `12.5k`, `1.2M`.
  static func step(_ s: Int) -> String {
    let a = abs(s)
    if a < 10_000 { return String(s) }
    if a < 1_000_000 { return trimZero(fixed(Double(s) / 1000, 1)) + "k" }
    return trimZero(fixed(Double(s) / 1_000_000, 2)) + "M"
  }

  /// `12.0` → `12`, `1.50` → `1.5`.
  static func trimZero(_ s: String) -> String {
    guard s.contains(".") else { return s }
    var t = s
    while t.last == "0" { t.removeLast() }
    if t.last == "." { t.removeLast() }
    return t
  }

  /// Tick values: a "nice" step (1, 2 or 5 × 10^k) giving about `count` ticks in `lo...hi`.
  static func ticks(_ lo: Double, _ hi: Double, count: Int) -> (values: [Double], step: Double) {
    guard lo.isFinite, hi.isFinite, hi > lo, count > 0 else { return ([], 1) }
    let raw = (hi - lo) / Double(count)
    // Values near ±Double.greatestFiniteMagnitude overflow the span.
    guard raw.isFinite, raw > 1e-300 else { return ([], 1) }
    var mag = 1.0
    while mag * 10 <= raw { mag *= 10 }
    while mag > raw { mag /= 10 }
    let step = [1.0, 2, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
    var v = (lo / step).rounded(.up) * step
    var out: [Double] = []
    while v <= hi + step * 1e-9 && out.count < 100 {
      out.append(abs(v) < step * 1e-9 ? 0 : v)
      v += step
    }
    return (out, step)
  }

  /// A tick label with as many decimals as the tick step needs.
  static func tick(_ v: Double, step: Double) -> String {
    let a = max(abs(v), step)
    if a >= 1e5 || step < 1e-4 { return exponent(v) }
    var decimals = 0
    var s = step
    while s < 1 && decimals < 6 {
      s *= 10
      decimals += 1
    }
    if (s - s.rounded()).magnitude > 1e-6 && decimals < 6 { decimals += 1 }
    return fixed(v, decimals)
  }
}

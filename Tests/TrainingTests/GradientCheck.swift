import Testing

@testable import Training

/// Random floats from a fixed seed, N(0, scale).
func randomFloats(_ n: Int, seed: UInt64, scale: Double = 1) -> [Float] {
  var rng = ModelRNG(seed: seed)
  return (0..<n).map { _ in Float(rng.normal() * scale) }
}

/// Σ a·b in Double: the scalar "loss" whose gradient w.r.t. a is b.
func weightedSum(_ a: UnsafePointer<Float>, _ b: [Float]) -> Double {
  var s = 0.0
  for i in 0..<b.count { s += Double(a[i]) * Double(b[i]) }
  return s
}

/// Compares `analytic` with central differences of `loss` as `x[i]` moves
/// by ±eps, for each index in `indices`, in the manner of llm.c's
/// `check_tensor`: reports the worst difference and the first bad indices.
///
/// Agreement is |a − n| ≤ atol + rtol·max(|a|, |n|): loose enough for Float
/// kernels, tight enough that a wrong sign or a missing term fails.
func checkGradient(
  _ label: String, x: UnsafeMutablePointer<Float>, analytic: [Float], indices: [Int],
  eps: Float = 1e-2, atol: Double = 2e-3, rtol: Double = 2e-2,
  sourceLocation: SourceLocation = #_sourceLocation, loss: () -> Double
) {
  var bad: [String] = []
  var maxDiff = 0.0
  var nonzero = 0
  for i in indices {
    let old = x[i]
    x[i] = old + eps
    let up = loss()
    x[i] = old - eps
    let down = loss()
    x[i] = old
    let numeric = (up - down) / (2 * Double(eps))
    let a = Double(analytic[i])
    let diff = abs(a - numeric)
    maxDiff = max(maxDiff, diff)
    if abs(numeric) > 1e-4 { nonzero += 1 }
    if diff > atol + rtol * max(abs(a), abs(numeric)) {
      bad.append("[\(i)] analytic \(a) numeric \(numeric)")
    }
  }
  #expect(
    bad.isEmpty, "\(label): maxdiff \(maxDiff); \(bad.prefix(5).joined(separator: "; "))",
    sourceLocation: sourceLocation)
  // A check where every numeric gradient is ~0 proves nothing.
  #expect(nonzero > 0, "\(label): all numeric gradients vanish", sourceLocation: sourceLocation)
}

/// A buffer of `values` for the duration of `body`.
func withBuffer<R>(_ values: [Float], _ body: (UnsafeMutablePointer<Float>) -> R) -> R {
  let p = UnsafeMutablePointer<Float>.allocate(capacity: max(values.count, 1))
  defer { p.deallocate() }
  p.initialize(repeating: 0, count: max(values.count, 1))
  for (i, v) in values.enumerated() { p[i] = v }
  return body(p)
}

/// The contents of `p` as an array of `n` elements.
func array(_ p: UnsafePointer<Float>, _ n: Int) -> [Float] {
  Array(UnsafeBufferPointer(start: p, count: n))
}

import Testing

@testable import Training

/// `gemmTN` (the weight gradients' aᵀ @ b on a stored (k, m)) on shapes that
/// take each of its paths: `a` packed because the block serves many column
/// slivers, packed because its rows are far apart (k ≥ 1024), read in place,
/// and k in one block or several.
@Suite struct GemmTNTests {
  @Test(
    arguments: KernelPath.supported,
    [(40, 50, 200), (30, 1100, 20), (97, 520, 260), (13, 300, 37), (96, 384, 96)])
  func gemmTNMatchesNaiveProductAndIsBitIdenticalAcrossThreads(
    path: KernelPath, shape: (Int, Int, Int)
  ) {
    let (m, k, n) = shape
    let a = randomFloats(k * m, seed: 11)
    let b = randomFloats(k * n, seed: 12)
    let start = randomFloats(m * n, seed: 13)
    var results: [[Float]] = []
    for threads in [1, 2, 3] {
      var c = start
      a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
          c.withUnsafeMutableBufferPointer { pc in
            path.suite.gemmTN(
              pc.baseAddress!, pa.baseAddress!, pb.baseAddress!, m: m, k: k, n: n,
              accumulate: true, threads: threads)
          }
        }
      }
      results.append(c)
    }
    #expect(results[0] == results[1])
    #expect(results[0] == results[2])
    for i in 0..<m {
      for j in 0..<n {
        var s = Double(start[i * n + j])
        for p in 0..<k { s += Double(a[p * m + i]) * Double(b[p * n + j]) }
        #expect(abs(Double(results[0][i * n + j]) - s) <= 1e-4 * Double(k).squareRoot() + 1e-5)
      }
    }
  }
}

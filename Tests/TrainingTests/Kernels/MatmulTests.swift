import Testing

@testable import Training

@Suite struct MatmulTests {
  /// Naive reference product in Double.
  func reference(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Double] {
    var c = [Double](repeating: 0, count: m * n)
    for i in 0..<m {
      for j in 0..<n {
        var s = 0.0
        for p in 0..<k { s += Double(a[i * k + p]) * Double(b[p * n + j]) }
        c[i * n + j] = s
      }
    }
    return c
  }

  @Test(
    arguments: KernelPath.supported,
    [(1, 1, 1), (7, 5, 3), (13, 300, 37), (12, 64, 48), (25, 9, 17), (13, 40, 70), (30, 33, 131)])
  func gemmMatchesNaiveProductOnOddShapes(path: KernelPath, shape: (Int, Int, Int)) {
    let (m, k, n) = shape
    let a = randomFloats(m * k, seed: 1)
    let b = randomFloats(k * n, seed: 2)
    let want = reference(a, b, m: m, k: k, n: n)
    var c = [Float](repeating: 0, count: m * n)
    a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in
        c.withUnsafeMutableBufferPointer { pc in
          path.suite.gemm(
            pc.baseAddress!, pa.baseAddress!, pb.baseAddress!, m: m, k: k, n: n,
            accumulate: false, threads: 2)
        }
      }
    }
    for i in 0..<(m * n) {
      #expect(abs(Double(c[i]) - want[i]) <= 1e-4 * Double(k).squareRoot() + 1e-5)
    }
  }

  @Test(arguments: KernelPath.supported) func gemmIsBitIdenticalAcrossThreadCounts(path: KernelPath)
  {
    // Large enough to cross the threading threshold, with row and column remainders.
    let (m, k, n) = (101, 300, 77)
    let a = randomFloats(m * k, seed: 3)
    let b = randomFloats(k * n, seed: 4)
    var results: [[Float]] = []
    for threads in [1, 2, 3] {
      var c = randomFloats(m * n, seed: 5)
      a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
          c.withUnsafeMutableBufferPointer { pc in
            path.suite.gemm(
              pc.baseAddress!, pa.baseAddress!, pb.baseAddress!, m: m, k: k, n: n,
              accumulate: true, threads: threads)
          }
        }
      }
      results.append(c)
    }
    #expect(results[0] == results[1])
    #expect(results[0] == results[2])
  }

  @Test(arguments: KernelPath.supported) func matmulBackwardMatchesFiniteDifferences(
    path: KernelPath
  ) {
    let (n, c, oc) = (5, 7, 6)
    let inp0 = randomFloats(n * c, seed: 10)
    let w0 = randomFloats(c * oc, seed: 11)
    let b0 = randomFloats(oc, seed: 12)
    let dout = randomFloats(n * oc, seed: 13)
    withBuffer(inp0) { inp in
      withBuffer(w0) { w in
        withBuffer(b0) { bias in
          withBuffer([Float](repeating: 0, count: n * oc)) { out in
            let loss = { () -> Double in
              path.suite.matmulForward(
                out: out, inp: inp, weight: w, bias: bias, n: n, c: c, oc: oc, threads: 1)
              return weightedSum(out, dout)
            }
            var dinp = [Float](repeating: 0, count: n * c)
            var dw = [Float](repeating: 0, count: c * oc)
            var db = [Float](repeating: 0, count: oc)
            var scratch = [Float](repeating: 0, count: max(c * oc, c * n))
            dout.withUnsafeBufferPointer { g in
              path.suite.matmulBackward(
                dinp: &dinp, dweight: &dw, dbias: &db, dout: g.baseAddress!, inp: inp,
                weight: w, n: n, c: c, oc: oc, scratch: &scratch, threads: 1)
            }
            checkGradient("dinp", x: inp, analytic: dinp, indices: Array(0..<(n * c)), loss: loss)
            checkGradient("dweight", x: w, analytic: dw, indices: Array(0..<(c * oc)), loss: loss)
            checkGradient("dbias", x: bias, analytic: db, indices: Array(0..<oc), loss: loss)
          }
        }
      }
    }
  }

  @Test(arguments: KernelPath.supported) func matmulBackwardWritesDinpAndAccumulatesDweight(
    path: KernelPath
  ) {
    let (n, c, oc) = (3, 4, 5)
    let inp = randomFloats(n * c, seed: 20)
    let w = randomFloats(c * oc, seed: 21)
    let dout = randomFloats(n * oc, seed: 22)
    var dinp = [Float](repeating: 1, count: n * c)
    var dw = [Float](repeating: 1, count: c * oc)
    var scratch = [Float](repeating: 0, count: 64)
    path.suite.matmulBackward(
      dinp: &dinp, dweight: &dw, dbias: nil, dout: dout, inp: inp, weight: w, n: n, c: c,
      oc: oc, scratch: &scratch, threads: 1)
    // dinp[0, 0] = Σo dout[0, o]·w[0, o] (the 1 it held is overwritten).
    var want: Float = 0
    for o in 0..<oc { want += dout[o] * w[o] }
    #expect(abs(dinp[0] - want) < 1e-5)
    // dweight[0, 0] = 1 + Σr inp[r, 0]·dout[r, 0] (accumulated).
    var wantW: Float = 1
    for r in 0..<n { wantW += inp[r * c] * dout[r * oc] }
    #expect(abs(dw[0] - wantW) < 1e-5)
  }
}

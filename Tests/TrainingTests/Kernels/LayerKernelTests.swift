import Foundation
import Testing

@testable import Training

/// Finite-difference checks of the element- and row-wise kernels.
@Suite struct LayerKernelTests {
  /// Widths below one vector, whole vectors on every path (32, 96: the
  /// model's), and whole vectors plus a tail (40 = 16 + 16 + 8 with AVX-512).
  @Test(arguments: KernelPath.supported, [6, 32, 40, 96])
  func layerNormBackwardMatchesFiniteDifferences(path: KernelPath, c: Int) {
    let n = 3
    let dout = randomFloats(n * c, seed: 31)
    withBuffer(randomFloats(n * c, seed: 30)) { inp in
      withBuffer(randomFloats(c, seed: 32, scale: 0.5).map { $0 + 1 }) { w in
        withBuffer(randomFloats(c, seed: 33)) { bias in
          var out = [Float](repeating: 0, count: n * c)
          var mean = [Float](repeating: 0, count: n)
          var rstd = [Float](repeating: 0, count: n)
          let loss = { () -> Double in
            path.suite.layerNormForward(
              out: &out, mean: &mean, rstd: &rstd, inp: inp, weight: w, bias: bias, n: n, c: c)
            return out.withUnsafeBufferPointer { weightedSum($0.baseAddress!, dout) }
          }
          _ = loss()
          var dinp = [Float](repeating: 0, count: n * c)
          var dw = [Float](repeating: 0, count: c)
          var db = [Float](repeating: 0, count: c)
          path.suite.layerNormBackward(
            dinp: &dinp, dweight: &dw, dbias: &db, dout: dout, inp: inp, weight: w, mean: mean,
            rstd: rstd, n: n, c: c)
          checkGradient("dinp", x: inp, analytic: dinp, indices: Array(0..<(n * c)), loss: loss)
          checkGradient("dweight", x: w, analytic: dw, indices: Array(0..<c), loss: loss)
          checkGradient("dbias", x: bias, analytic: db, indices: Array(0..<c), loss: loss)
        }
      }
    }
  }

  @Test(arguments: KernelPath.supported, [8, 40])
  func layerNormOutputHasZeroMeanUnitVariance(path: KernelPath, c: Int) {
    let n = 2
    let inp = randomFloats(n * c, seed: 34, scale: 3).map { $0 + 5 }
    var out = [Float](repeating: 0, count: n * c)
    var mean = [Float](repeating: 0, count: n)
    var rstd = [Float](repeating: 0, count: n)
    let ones = [Float](repeating: 1, count: c)
    let zeros = [Float](repeating: 0, count: c)
    path.suite.layerNormForward(
      out: &out, mean: &mean, rstd: &rstd, inp: inp, weight: ones, bias: zeros, n: n, c: c)
    for r in 0..<n {
      let row = out[(r * c)..<((r + 1) * c)]
      let m = row.reduce(0, +) / Float(c)
      let v = row.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Float(c)
      #expect(abs(m) < 1e-5)
      #expect(abs(v - 1) < 1e-3)
    }
  }

  @Test(arguments: KernelPath.supported) func geluBackwardMatchesFiniteDifferences(path: KernelPath)
  {
    let n = 12
    let dout = randomFloats(n, seed: 41)
    withBuffer(randomFloats(n, seed: 40, scale: 2)) { inp in
      var out = [Float](repeating: 0, count: n)
      let loss = { () -> Double in
        path.suite.geluForward(out: &out, inp: inp, n: n)
        return out.withUnsafeBufferPointer { weightedSum($0.baseAddress!, dout) }
      }
      var dinp = [Float](repeating: 0, count: n)
      path.suite.geluBackward(dinp: &dinp, inp: inp, dout: dout, n: n)
      checkGradient("gelu", x: inp, analytic: dinp, indices: Array(0..<n), eps: 1e-3, loss: loss)
    }
    // Known values: GELU(0) = 0, GELU(x) → x for large x.
    var out: [Float] = [0, 0]
    path.suite.geluForward(out: &out, inp: [0, 6], n: 2)
    #expect(out[0] == 0)
    #expect(abs(out[1] - 6) < 1e-4)
  }

  @Test(arguments: KernelPath.supported) func softmaxBackwardMatchesFiniteDifferences(
    path: KernelPath
  ) {
    let n = 7
    let dout = randomFloats(n, seed: 51)
    withBuffer(randomFloats(n, seed: 50, scale: 2)) { inp in
      var out = [Float](repeating: 0, count: n)
      let loss = { () -> Double in
        path.suite.softmaxForward(out: &out, inp: inp, n: n)
        return out.withUnsafeBufferPointer { weightedSum($0.baseAddress!, dout) }
      }
      _ = loss()
      var dinp = [Float](repeating: 0, count: n)
      path.suite.softmaxBackward(dinp: &dinp, out: out, dout: dout, n: n)
      checkGradient("softmax", x: inp, analytic: dinp, indices: Array(0..<n), loss: loss)
    }
  }

  @Test(arguments: KernelPath.supported) func softmaxIsStableForHugeLogits(path: KernelPath) {
    var out: [Float] = [0, 0, 0]
    let lse = path.suite.softmaxForward(out: &out, inp: [1000, 1000, -1000], n: 3)
    #expect(abs(out[0] - 0.5) < 1e-6 && abs(out[1] - 0.5) < 1e-6 && out[2] < 1e-30)
    #expect(abs(lse - (1000 + logf(2))) < 1e-3)
  }

  @Test(arguments: KernelPath.supported) func fastExpAndTanhMatchLibm(path: KernelPath) {
    var worstExp = 0.0
    var worstTanh = 0.0
    // −80 ... 80, an odd count so the vector tail is exercised too.
    let xs = (-800...800).map { Float($0) / 10 }
    var e = [Float](repeating: 0, count: xs.count)
    var t = e
    path.suite.vectorExp(out: &e, inp: xs, n: xs.count)
    path.suite.vectorTanh(out: &t, inp: xs.map { $0 / 8 }, n: xs.count)
    for (i, x) in xs.enumerated() {
      worstExp = max(worstExp, abs(Double(e[i]) / exp(Double(x)) - 1))
      worstTanh = max(worstTanh, abs(Double(t[i]) - tanh(Double(x / 8))))
    }
    #expect(worstExp < 1e-6, "exp relative error \(worstExp)")
    #expect(worstTanh < 1e-6, "tanh absolute error \(worstTanh)")
    // Saturation instead of overflow or NaN.
    var edge: [Float] = [0, 0, 0]
    path.suite.vectorExp(out: &edge, inp: [1000, -1000, 0], n: 3)
    #expect(edge[0].isFinite && edge[1] >= 0 && edge[2] == 1)
    path.suite.vectorTanh(out: &edge, inp: [50, -50, 0], n: 3)
    #expect(edge == [1, -1, 0])
  }

  @Test(arguments: KernelPath.supported) func crossEntropyBackwardMatchesFiniteDifferences(
    path: KernelPath
  ) {
    let (n, v) = (4, 9)
    let targets: [Int32] = [3, -1, 0, 8]
    let dlosses: [Float] = [0.7, 0.0, -1.3, 0.4]
    withBuffer(randomFloats(n * v, seed: 60, scale: 2)) { logits in
      var losses = [Float](repeating: 0, count: n)
      var probs = [Float](repeating: 0, count: n * v)
      let loss = { () -> Double in
        path.suite.crossEntropyForward(
          losses: &losses, probs: &probs, logits: logits, targets: targets, n: n, v: v,
          threads: 1)
        return losses.withUnsafeBufferPointer { weightedSum($0.baseAddress!, dlosses) }
      }
      _ = loss()
      #expect(losses[1] == 0)
      // losses[0] = −log softmax(logits[0])[3]
      var lse = 0.0
      for j in 0..<v { lse += exp(Double(logits[j])) }
      #expect(abs(Double(losses[0]) - (log(lse) - Double(logits[3]))) < 1e-4)
      var dlogits = [Float](repeating: 0, count: n * v)
      path.suite.crossEntropyBackward(
        dlogits: &dlogits, dlosses: dlosses, probs: probs, targets: targets, n: n, v: v,
        threads: 1)
      checkGradient(
        "dlogits", x: logits, analytic: dlogits, indices: Array(0..<(n * v)), loss: loss)
    }
  }

  @Test(arguments: KernelPath.supported) func embeddingBackwardMatchesFiniteDifferences(
    path: KernelPath
  ) {
    let (b, t, c, v) = (2, 3, 4, 5)
    let tokens: [Int32] = [1, 4, 1, 0, 2, 4]
    let dout = randomFloats(b * t * c, seed: 71)
    withBuffer(randomFloats(v * c, seed: 70)) { wte in
      withBuffer(randomFloats(t * c, seed: 72)) { wpe in
        var out = [Float](repeating: 0, count: b * t * c)
        let loss = { () -> Double in
          path.suite.embeddingForward(
            out: &out, tokens: tokens, wte: wte, wpe: wpe, starts: [0, t, 2 * t], b: b, c: c,
            from: 0)
          return out.withUnsafeBufferPointer { weightedSum($0.baseAddress!, dout) }
        }
        var dwte = [Float](repeating: 0, count: v * c)
        var dwpe = [Float](repeating: 0, count: t * c)
        path.suite.embeddingBackward(
          dwte: &dwte, dwpe: &dwpe, dout: dout, tokens: tokens, starts: [0, t, 2 * t], b: b, c: c)
        checkGradient("dwte", x: wte, analytic: dwte, indices: Array(4..<(v * c)), loss: loss)
        checkGradient("dwpe", x: wpe, analytic: dwpe, indices: Array(0..<(t * c)), loss: loss)
        // Token 3 never occurs: its rows get no gradient.
        #expect(dwte[(3 * c)..<(4 * c)].allSatisfy { $0 == 0 })
      }
    }
  }
}

import Foundation
import Testing

@testable import Training

@Suite struct AdamWTests {
  @Test(arguments: KernelPath.supported) func firstStepMatchesHandComputation(path: KernelPath) {
    // Two parameters, one decayed. Step 1: m = 0.1g, v = 0.001g², bias-corrected
    // m̂ = g, v̂ = g², so the update is lr·(g/(|g| + eps) + wd·p) = lr·(sign(g) + wd·p).
    var p: [Float] = [1.0, -2.0]
    let g: [Float] = [0.5, -4.0]
    var m: [Float] = [0, 0]
    var v: [Float] = [0, 0]
    let decay = [true, false]
    let config = AdamWConfig(weightDecay: 0.1, clipNorm: 0)
    adamWUpdate(
      params: &p, grads: g, m: &m, v: &v, decay: decay, count: 2, step: 1, lr: 0.01,
      clipScale: 1, config: config, kernels: path.suite)
    #expect(abs(p[0] - (1.0 - 0.01 * (1 + 0.1 * 1.0))) < 1e-6)
    #expect(abs(p[1] - (-2.0 + 0.01)) < 1e-6)
    #expect(abs(m[0] - 0.05) < 1e-7 && abs(v[1] - 0.016) < 1e-5)
  }

  @Test(arguments: KernelPath.supported) func secondStepMatchesHandComputation(path: KernelPath) {
    var p: [Float] = [0.0]
    var m: [Float] = [0]
    var v: [Float] = [0]
    let config = AdamWConfig(weightDecay: 0, clipNorm: 0)
    adamWUpdate(
      params: &p, grads: [1.0], m: &m, v: &v, decay: [false], count: 1, step: 1, lr: 0.1,
      clipScale: 1, config: config, kernels: path.suite)
    adamWUpdate(
      params: &p, grads: [-1.0], m: &m, v: &v, decay: [false], count: 1, step: 2, lr: 0.1,
      clipScale: 1, config: config, kernels: path.suite)
    // By hand: m2 = 0.9·0.1 − 0.1 = −0.01, v2 = 0.999·0.001 + 0.001 = 0.001999,
    // m̂ = −0.01/0.19, v̂ = 0.001999/0.001999 = 1 → step 2 moves by +0.1·0.0526316.
    let m2 = -0.01 / 0.19
    let v2 = 0.001999 / (1 - 0.999 * 0.999)
    let want = -0.1 - 0.1 * m2 / (v2.squareRoot() + 1e-8)
    #expect(abs(Double(p[0]) - want) < 1e-6)
  }

  @Test(arguments: KernelPath.supported) func clipScaleShrinksOnlyLargeNorms(path: KernelPath) {
    #expect(clipScale(norm: 0.5, clipNorm: 1) == 1)
    #expect(abs(clipScale(norm: 4, clipNorm: 1) - 0.25) < 1e-7)
    #expect(clipScale(norm: 4, clipNorm: 0) == 1)
    #expect(clipScale(norm: .nan, clipNorm: 1) == 1)
    #expect(abs(gradientNorm([3, 4], count: 2, kernels: path.suite) - 5) < 1e-12)
  }

  @Test(arguments: KernelPath.supported) func threadedVectorUpdateIsTheScalarFormulaBitForBit(
    path: KernelPath
  ) {
    // More than one thread's minimum and not a multiple of the vector width,
    // so the update runs split, in vectors and in the scalar tail.
    let count = 150_003
    let grads = randomFloats(count, seed: 21)
    let start = randomFloats(count, seed: 22)
    let m0 = randomFloats(count, seed: 23).map { $0 * 0.1 }
    let v0 = randomFloats(count, seed: 24).map { $0 * $0 * 0.01 }
    let decay = (0..<count).map { $0 % 3 != 0 }
    let config = AdamWConfig(weightDecay: 0.1, clipNorm: 1)
    // The scalar formula, in the order adamW documents.
    var want = start
    var wm = m0
    var wv = v0
    let (b1, b2, lr, clip): (Float, Float, Float, Float) = (0.9, 0.999, 3e-4, 0.7)
    let c1 = 1 - powf(b1, 3)
    let c2 = 1 - powf(b2, 3)
    for i in 0..<count {
      let g = grads[i] * clip
      wm[i] = b1 * wm[i] + (1 - b1) * g
      wv[i] = b2 * wv[i] + (1 - b2) * g * g
      let wd: Float = decay[i] ? 0.1 : 0
      want[i] -= lr * ((wm[i] / c1) / ((wv[i] / c2).squareRoot() + 1e-8) + wd * want[i])
    }
    for threads in [1, 2, 3] {
      var p = start
      var m = m0
      var v = v0
      adamWUpdate(
        params: &p, grads: grads, m: &m, v: &v, decay: decay, count: count, step: 3, lr: lr,
        clipScale: clip, config: config, kernels: path.suite, threads: threads)
      #expect(p == want)
      #expect(m == wm)
      #expect(v == wv)
    }
  }
}

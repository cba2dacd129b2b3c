import KernelSupport
import Testing

@testable import Training

@Suite struct AttentionTests {
  @Test(arguments: KernelPath.supported) func attentionBackwardMatchesFiniteDifferences(
    path: KernelPath
  ) {
    let (b, t, c, h) = (2, 4, 8, 2)
    let dout = randomFloats(b * t * c, seed: 81)
    withBuffer(randomFloats(b * t * 3 * c, seed: 80)) { qkv in
      var out = [Float](repeating: 0, count: b * t * c)
      var att = [Float](repeating: 0, count: b * h * t * attentionRowStride(t))
      let loss = { () -> Double in
        path.suite.attentionForward(
          out: &out, att: &att, qkv: qkv, starts: (0...b).map { $0 * t }, b: b, c: c, heads: h,
          maxT: t, from: 0, threads: 1)
        return out.withUnsafeBufferPointer { weightedSum($0.baseAddress!, dout) }
      }
      _ = loss()
      var dqkv = [Float](repeating: 0, count: b * t * 3 * c)
      path.suite.attentionBackward(
        dqkv: &dqkv, dout: dout, qkv: qkv, att: att, starts: (0...b).map { $0 * t }, b: b, c: c,
        heads: h, maxT: t, threads: 2)
      checkGradient(
        "dqkv", x: qkv, analytic: dqkv, indices: Array(0..<(b * t * 3 * c)), loss: loss)
    }
  }

  @Test(arguments: KernelPath.supported) func attentionIsCausal(path: KernelPath) {
    // Changing the last position's keys and values must not change earlier outputs.
    let (b, t, c, h) = (1, 5, 4, 2)
    var qkv = randomFloats(b * t * 3 * c, seed: 82)
    var out1 = [Float](repeating: 0, count: t * c)
    var out2 = out1
    var att = [Float](repeating: 0, count: h * t * attentionRowStride(t))
    path.suite.attentionForward(
      out: &out1, att: &att, qkv: qkv, starts: (0...b).map { $0 * t }, b: b, c: c, heads: h,
      maxT: t, from: 0, threads: 1)
    for j in ((t - 1) * 3 * c)..<(t * 3 * c) { qkv[j] += 3 }
    path.suite.attentionForward(
      out: &out2, att: &att, qkv: qkv, starts: (0...b).map { $0 * t }, b: b, c: c, heads: h,
      maxT: t, from: 0, threads: 1)
    #expect(Array(out1[0..<((t - 1) * c)]) == Array(out2[0..<((t - 1) * c)]))
    #expect(out1[((t - 1) * c)...] != out2[((t - 1) * c)...])
  }

  @Test(arguments: KernelPath.supported) func threadedAttentionIsBitIdenticalToSingleThreaded(
    path: KernelPath
  ) {
    // Large enough to cross the threading threshold.
    let (b, t, c, h) = (2, 32, 32, 2)
    let qkv = randomFloats(b * t * 3 * c, seed: 90)
    let dout = randomFloats(b * t * c, seed: 91)
    var results: [[Float]] = []
    for threads in [1, 2] {
      var out = [Float](repeating: 0, count: b * t * c)
      var att = [Float](repeating: 0, count: b * h * t * attentionRowStride(t))
      var dqkv = [Float](repeating: 0, count: b * t * 3 * c)
      path.suite.attentionForward(
        out: &out, att: &att, qkv: qkv, starts: (0...b).map { $0 * t }, b: b, c: c, heads: h,
        maxT: t, from: 0, threads: threads)
      path.suite.attentionBackward(
        dqkv: &dqkv, dout: dout, qkv: qkv, att: att, starts: (0...b).map { $0 * t }, b: b, c: c,
        heads: h, maxT: t, threads: threads)
      results.append(out + dqkv)
    }
    #expect(results[0] == results[1])
  }

  @Test(arguments: KernelPath.supported) func packedSequencesMatchEachRunAlone(path: KernelPath) {
    // Lengths 3, 7 and 1 back to back, no padding: each sequence's output and
    // gradient are what it gets alone, and the backward matches finite differences.
    let (c, h, maxT) = (8, 2, 7)
    let starts = [0, 3, 10, 11]
    let b = starts.count - 1
    let n = starts[b]
    let dout = randomFloats(n * c, seed: 84)
    withBuffer(randomFloats(n * 3 * c, seed: 83)) { qkv in
      var out = [Float](repeating: 0, count: n * c)
      var att = [Float](repeating: 0, count: b * h * maxT * attentionRowStride(maxT))
      let loss = { () -> Double in
        path.suite.attentionForward(
          out: &out, att: &att, qkv: qkv, starts: starts, b: b, c: c, heads: h, maxT: maxT,
          from: 0, threads: 1)
        return out.withUnsafeBufferPointer { weightedSum($0.baseAddress!, dout) }
      }
      _ = loss()
      var dqkv = [Float](repeating: .nan, count: n * 3 * c)
      path.suite.attentionBackward(
        dqkv: &dqkv, dout: dout, qkv: qkv, att: att, starts: starts, b: b, c: c, heads: h,
        maxT: maxT, threads: 2)
      for i in 0..<b {
        let (lo, len) = (starts[i], starts[i + 1] - starts[i])
        var alone = [Float](repeating: 0, count: len * c)
        var attAlone = [Float](repeating: 0, count: h * maxT * attentionRowStride(maxT))
        var dAlone = [Float](repeating: 0, count: len * 3 * c)
        path.suite.attentionForward(
          out: &alone, att: &attAlone, qkv: qkv + lo * 3 * c, starts: [0, len], b: 1, c: c,
          heads: h, maxT: maxT, from: 0, threads: 1)
        path.suite.attentionBackward(
          dqkv: &dAlone, dout: Array(dout[(lo * c)..<((lo + len) * c)]), qkv: qkv + lo * 3 * c,
          att: attAlone, starts: [0, len], b: 1, c: c, heads: h, maxT: maxT, threads: 1)
        #expect(Array(out[(lo * c)..<((lo + len) * c)]) == alone)
        #expect(Array(dqkv[(lo * 3 * c)..<((lo + len) * 3 * c)]) == dAlone)
      }
      // Written, not accumulated: the NaNs it started with are all gone.
      #expect(dqkv.allSatisfy { $0.isFinite })
      checkGradient("dqkv", x: qkv, analytic: dqkv, indices: Array(0..<(n * 3 * c)), loss: loss)
    }
  }
}

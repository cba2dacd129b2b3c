import KernelSupport

extension Suite {
  /// Softmax + cross-entropy per position.
  ///
  /// logits: (N, V)  targets: (N)  probs: (N, V) out  losses: (N) out,
  /// losses[i] = −log probs[i, targets[i]] (so a sequence log-prob is −Σ losses).
  /// Positions whose target is negative are skipped (loss 0, probs untouched).
  public static func crossEntropyForward(
    losses: UnsafeMutablePointer<Float>, probs: UnsafeMutablePointer<Float>,
    logits: UnsafePointer<Float>, targets: UnsafePointer<Int32>, n: Int, v: Int, threads: Int
  ) {
    parallelChunks(n, threads: n * v < 1 << 14 ? 1 : threads) { rows in
      for r in rows {
        let target = Int(targets[r])
        guard target >= 0 else {
          losses[r] = 0
          continue
        }
        let lse = softmaxForward(out: probs + r * v, inp: logits + r * v, n: v)
        // −log p computed from the logit and log-partition keeps precision
        // where the probability underflows.
        losses[r] = lse - logits[r * v + target]
      }
    }
  }

  /// Gradient of Σ dlosses[i]·losses[i] with respect to the logits:
  /// dlogits[i] += dlosses[i]·(probs[i] − onehot(targets[i])). Skipped where the
  /// target is negative or the upstream weight is zero.
  public static func crossEntropyBackward(
    dlogits: UnsafeMutablePointer<Float>, dlosses: UnsafePointer<Float>,
    probs: UnsafePointer<Float>, targets: UnsafePointer<Int32>, n: Int, v: Int, threads: Int
  ) {
    parallelChunks(n, threads: n * v < 1 << 14 ? 1 : threads) { rows in
      for r in rows {
        let target = Int(targets[r])
        let w = dlosses[r]
        guard target >= 0, w != 0 else { continue }
        axpy(dlogits + r * v, w, probs + r * v, v)
        dlogits[r * v + target] -= w
      }
    }
  }
}

import KernelSupport

extension Suite {
  /// A linear layer: `out (N, OC) = inp (N, C) @ weight (C, OC) + bias (OC)`.
  ///
  /// The weight is stored input-major (C, OC) so the forward product streams
  /// rows of `weight` through `gemm` without a transpose.
  public static func matmulForward(
    out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>,
    weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
    n: Int, c: Int, oc: Int, threads: Int
  ) {
    // Each row's sums start from the bias inside the register tiles.
    gemm(out, inp, weight, m: n, k: c, n: oc, accumulate: false, bias: bias, threads: threads)
  }

  /// Gradients of `matmulForward`: `dinp (N, C)` is written (=), `dweight
  /// (C, OC)` and `dbias (OC)` accumulated (+=). In this model every input
  /// gradient has one consumer, so writing it saves zeroing N·C floats first.
  ///
  /// `scratch` must hold `C·OC` floats: it receives `weightᵀ`, so the input
  /// gradient runs through the row-major `gemm`; the weight gradient reads
  /// `inp` transposed in place (`gemmTN`).
  public static func matmulBackward(
    dinp: UnsafeMutablePointer<Float>?, dweight: UnsafeMutablePointer<Float>,
    dbias: UnsafeMutablePointer<Float>?,
    dout: UnsafePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    n: Int, c: Int, oc: Int, scratch: UnsafeMutablePointer<Float>, threads: Int
  ) {
    if let dinp {
      // dinp (N, C) = dout (N, OC) @ weightᵀ (OC, C)
      transpose(scratch, weight, rows: c, cols: oc)
      gemm(dinp, dout, scratch, m: n, k: oc, n: c, accumulate: false, threads: threads)
    }
    // dweight (C, OC) += inpᵀ (C, N) @ dout (N, OC)
    gemmTN(dweight, inp, dout, m: c, k: n, n: oc, accumulate: true, threads: threads)
    if let dbias {
      // Column sums of dout: each thread owns a range of columns and adds
      // the rows in order, so every element's sum is the one-thread sum.
      nonisolated(unsafe) let dbias = dbias
      parallelChunks(oc, threads: n * oc < 1 << 16 ? 1 : threads, granule: 16) { cols in
        for r in 0..<n {
          axpy(dbias + cols.lowerBound, 1, dout + r * oc + cols.lowerBound, cols.count)
        }
      }
    }
  }
}

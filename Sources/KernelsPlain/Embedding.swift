import KernelSupport

extension Suite {
  /// Token + position embedding: out[b, t] = wte[tokens[b, t]] + wpe[t].
  ///
  /// tokens: (B, T) ids < V  wte: (V, C)  wpe: (maxT, C)  out: (B, T, C).
  /// Only positions `from..<T` are written (incremental decoding).
  public static func embeddingForward(
    out: UnsafeMutablePointer<Float>, tokens: UnsafePointer<Int32>,
    wte: UnsafePointer<Float>, wpe: UnsafePointer<Float>, b: Int, t: Int, c: Int, from: Int
  ) {
    for bi in 0..<b {
      for ti in from..<t {
        let o = out + (bi * t + ti) * c
        let tok = Int(tokens[bi * t + ti])
        let e = wte + tok * c
        let p = wpe + ti * c
        for i in 0..<c { o[i] = e[i] + p[i] }
      }
    }
  }

  /// Gradient of `embeddingForward`, accumulated (+=) into dwte (V, C) and dwpe (maxT, C).
  /// Sequential on purpose: rows of dwte are scattered to, and a fixed order
  /// keeps the sums deterministic.
  public static func embeddingBackward(
    dwte: UnsafeMutablePointer<Float>, dwpe: UnsafeMutablePointer<Float>,
    dout: UnsafePointer<Float>, tokens: UnsafePointer<Int32>, b: Int, t: Int, c: Int
  ) {
    for bi in 0..<b {
      for ti in 0..<t {
        let g = dout + (bi * t + ti) * c
        let tok = Int(tokens[bi * t + ti])
        axpy(dwte + tok * c, 1, g, c)
        axpy(dwpe + ti * c, 1, g, c)
      }
    }
  }
}

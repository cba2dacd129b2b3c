import KernelSupport

extension Suite {
  /// Token + position embedding over a packed batch: sequence i owns rows
  /// starts[i]..<starts[i+1], and row starts[i] + p gets wte[token] + wpe[p].
  ///
  /// tokens: (N) ids < V  wte: (V, C)  wpe: (maxT, C)  out: (N, C).
  /// Only positions `from..<length` are written (incremental decoding).
  public static func embeddingForward(
    out: UnsafeMutablePointer<Float>, tokens: UnsafePointer<Int32>,
    wte: UnsafePointer<Float>, wpe: UnsafePointer<Float>, starts: UnsafePointer<Int>, b: Int,
    c: Int, from: Int
  ) {
    for bi in 0..<b {
      for ti in from..<(starts[bi + 1] - starts[bi]) {
        let row = starts[bi] + ti
        let o = out + row * c
        let e = wte + Int(tokens[row]) * c
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
    dout: UnsafePointer<Float>, tokens: UnsafePointer<Int32>, starts: UnsafePointer<Int>,
    b: Int, c: Int
  ) {
    for bi in 0..<b {
      for ti in 0..<(starts[bi + 1] - starts[bi]) {
        let row = starts[bi] + ti
        let g = dout + row * c
        axpy(dwte + Int(tokens[row]) * c, 1, g, c)
        axpy(dwpe + ti * c, 1, g, c)
      }
    }
  }
}

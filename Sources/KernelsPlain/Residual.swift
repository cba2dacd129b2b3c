import KernelSupport

extension Suite {
  /// out = a + b, elementwise over n floats.
  public static func residualForward(
    out: UnsafeMutablePointer<Float>, a: UnsafePointer<Float>, b: UnsafePointer<Float>, n: Int
  ) {
    for i in 0..<n { out[i] = a[i] + b[i] }
  }

  /// Gradient of `residualForward`: da += dout, db += dout.
  public static func residualBackward(
    da: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>,
    dout: UnsafePointer<Float>, n: Int
  ) {
    axpy(da, 1, dout, n)
    axpy(db, 1, dout, n)
  }
}

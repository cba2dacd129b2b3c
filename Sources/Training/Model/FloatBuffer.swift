/// A fixed-size, zero-initialised, heap-allocated Float buffer with a stable
/// address, so kernels can take raw pointers into it without copy-on-write
/// or exclusivity checks getting in the way.
final class FloatBuffer {
  /// The first element.
  let base: UnsafeMutablePointer<Float>
  /// Number of elements.
  let count: Int

  /// Allocates `count` zeros.
  init(count: Int) {
    self.count = count
    base = .allocate(capacity: max(count, 1))
    base.initialize(repeating: 0, count: max(count, 1))
  }

  deinit { base.deallocate() }

  /// Sets every element to zero.
  func zero() { base.update(repeating: 0, count: count) }

  /// Sets `count` elements from `offset` to zero.
  func zero(_ offset: Int, _ count: Int) { (base + offset).update(repeating: 0, count: count) }

  /// The elements as an array (a copy).
  var array: [Float] { Array(UnsafeBufferPointer(start: base, count: count)) }

  /// Overwrites the elements from `values` (which must have `count` elements).
  func load(_ values: [Float]) {
    precondition(values.count == count, "FloatBuffer.load: size mismatch")
    values.withUnsafeBufferPointer { src in
      if let p = src.baseAddress { base.update(from: p, count: count) }
    }
  }

  /// Element access.
  subscript(i: Int) -> Float {
    get { base[i] }
    set { base[i] = newValue }
  }
}

/// A seeded, deterministic pseudo-random generator (SplitMix64): the one of
/// the package (the trainer's `ModelRNG` is this type, the tests draw from it).
///
/// Swift's `SystemRandomNumberGenerator` cannot be seeded, and the standard
/// library's `random(in:using:)` algorithms are an implementation detail that
/// may change between releases, so the data generators draw every number
/// through `int(in:)` here: the same seed gives the same datasets on every
/// platform and toolchain.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  /// The generator's whole state; advancing it by the golden-ratio constant is
  /// what makes every 64-bit seed usable (including 0).
  public private(set) var state: UInt64

  /// Creates a generator whose sequence is fixed by `seed`.
  public init(seed: UInt64) {
    state = seed
  }

  /// The next 64 pseudo-random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniformly distributed integer in `range` (unbiased: rejection sampling).
  public mutating func int(in range: ClosedRange<Int>) -> Int {
    let span = UInt64(bitPattern: Int64(range.upperBound &- range.lowerBound)) &+ 1
    if span == 0 { return Int(truncatingIfNeeded: next()) }  // the full 64-bit range
    // Reject the top sliver of values that would make `% span` favour small results.
    let limit = UInt64.max - (UInt64.max % span)
    var draw = next()
    while draw >= limit { draw = next() }
    return range.lowerBound &+ Int(truncatingIfNeeded: draw % span)
  }

  /// A uniformly chosen element of a non-empty array.
  public mutating func pick<T>(_ items: [T]) -> T {
    items[int(in: 0...(items.count - 1))]
  }

  /// A uniform `Double` in [0, 1) with 53 random bits.
  public mutating func unit() -> Double {
    Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
  }
}

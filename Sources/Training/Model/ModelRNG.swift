import Foundation

/// A small seeded generator (SplitMix64) for weight initialisation and batch
/// sampling: the same seed gives the same stream on every platform, which
/// is what makes runs and resumes reproducible.
public struct ModelRNG: RandomNumberGenerator, Sendable {
  private var state: UInt64

  /// Starts a stream from `seed`.
  public init(seed: UInt64) { state = seed }

  /// A generator whose stream depends on both `seed` and `stream` (e.g. a
  /// step number), so step k's batch can be drawn without replaying steps
  /// 0..<k.
  public init(seed: UInt64, stream: UInt64) {
    var g = ModelRNG(seed: seed ^ (stream &* 0x9E37_79B9_7F4A_7C15))
    state = g.next() ^ stream
  }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform Double in [0, 1).
  public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

  /// A standard normal (Box–Muller).
  public mutating func normal() -> Double {
    let u1 = max(unit(), 1e-300)
    let u2 = unit()
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }
}

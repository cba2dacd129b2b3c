import Foundation
import RunLog

/// The trainer's generator for weight initialisation, batch sampling and
/// decoding: RunLog's `SplitMix64`, the one seeded generator of the package
/// (the data generators draw from it too). The same seed gives the same
/// stream on every platform, which is what makes runs and resumes
/// reproducible, and the shipped sample runs byte for byte.
public typealias ModelRNG = SplitMix64

extension SplitMix64 {
  /// A generator whose stream depends on both `seed` and `stream` (e.g. a
  /// step number), so step k's batch can be drawn without replaying steps
  /// 0..<k.
  public init(seed: UInt64, stream: UInt64) {
    var g = SplitMix64(seed: seed ^ (stream &* 0x9E37_79B9_7F4A_7C15))
    self.init(seed: g.next() ^ stream)
  }

  /// A standard normal (Box–Muller).
  public mutating func normal() -> Double {
    let u1 = max(unit(), 1e-300)
    let u2 = unit()
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }
}

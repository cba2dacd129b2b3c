import RunLog

/// A supervised dataset: train rows and held-out rows that never share a problem.
public struct SFTDataset: Sendable, Equatable {
  /// The built-in name or the file name it was loaded from.
  public var name: String
  /// Rows to train on.
  public var train: [TextExample]
  /// Rows for evaluation (held-out loss, task accuracy).
  public var heldOut: [TextExample]

  /// Creates a dataset.
  public init(name: String, train: [TextExample], heldOut: [TextExample]) {
    self.name = name
    self.train = train
    self.heldOut = heldOut
  }

  /// Total rows (train + held-out).
  public var size: Int { train.count + heldOut.count }
}

/// A preference dataset with its mean normalised edit distance (the paper's diagnostic).
public struct PreferenceDataset: Sendable, Equatable {
  /// The built-in name or the file name it was loaded from.
  public var name: String
  /// Pairs to train on.
  public var train: [PreferencePair]
  /// Pairs for evaluation; their chosen sides give held-out task accuracy.
  public var heldOut: [PreferencePair]
  /// Mean normalised edit distance between chosen and rejected over all pairs.
  public let meanEditDistance: Double

  /// Creates a dataset and measures its mean edit distance.
  public init(name: String, train: [PreferencePair], heldOut: [PreferencePair]) {
    self.name = name
    self.train = train
    self.heldOut = heldOut
    meanEditDistance = EditDistance.mean(train + heldOut)
  }

  /// Total pairs (train + held-out).
  public var size: Int { train.count + heldOut.count }

  /// One line for a run's start-up banner, e.g. `math-low-edit: 10000 train + 256 held-out pairs,
  /// mean normalised edit distance 0.052`.
  public var summary: String {
    let distance = (meanEditDistance * 1000).rounded() / 1000
    return "\(name): \(train.count) train + \(heldOut.count) held-out pairs, "
      + "mean normalised edit distance \(distance)"
  }
}

/// The datasets built into dpotop, generated deterministically from a seed.
public enum BuiltinDataset: String, Sendable, CaseIterable {
  /// Supervised maths word problems with step-by-step solutions.
  case math
  /// Preference pairs: rejected = chosen with one intermediate result corrupted.
  case mathLowEdit = "math-low-edit"
  /// Preference pairs: rejected = a different, wrong solution.
  case mathHighEdit = "math-high-edit"

  /// Default number of training rows.
  public static let defaultTrainCount = 10_000
  /// Default number of held-out rows (distinct problems).
  public static let defaultHeldOutCount = 256

  /// Whether this dataset holds preference pairs (else supervised rows).
  public var isPreference: Bool { self != .math }

  /// `count` supervised examples of `split` (for preference sets: the same
  /// problems' correct solutions). Held-out examples are distinct problems.
  public func examples(count: Int, seed: UInt64, split: DataSplit = .train) -> [TextExample] {
    var generator = MathGenerator(seed: Self.splitSeed(seed, split))
    let problems =
      split == .heldOut
      ? generator.distinctProblems(count: count, split: split)
      : generator.problems(count: count, split: split)
    return problems.map(\.example)
  }

  /// `count` preference pairs of `split`; the `math` set has none and throws.
  public func pairs(count: Int, seed: UInt64, split: DataSplit = .train) throws -> [PreferencePair]
  {
    guard isPreference else {
      throw DataError(
        .notPreference(name: rawValue),
        hint: "use math-low-edit or math-high-edit, or a JSONL file with prompt/chosen/rejected")
    }
    var generator = MathGenerator(seed: Self.splitSeed(seed, split))
    // Corruptions draw from their own stream so the problems match `examples` for the same seed.
    var rng = SplitMix64(seed: Self.splitSeed(seed, split) ^ 0x5EED_C0DE_0BAD_F00D)
    let problems =
      split == .heldOut
      ? generator.distinctProblems(count: count, split: split)
      : generator.problems(count: count, split: split)
    return problems.map { problem in
      self == .mathLowEdit
        ? MathPreferences.lowEdit(problem, rng: &rng)
        : MathPreferences.highEdit(problem, rng: &rng)
    }
  }

  /// The supervised dataset (train + held-out).
  public func sftDataset(
    trainCount: Int = defaultTrainCount, heldOutCount: Int = defaultHeldOutCount, seed: UInt64 = 0
  ) -> SFTDataset {
    SFTDataset(
      name: rawValue, train: examples(count: trainCount, seed: seed, split: .train),
      heldOut: examples(count: heldOutCount, seed: seed, split: .heldOut))
  }

  /// The preference dataset (train + held-out); throws for `math`.
  public func preferenceDataset(
    trainCount: Int = defaultTrainCount, heldOutCount: Int = defaultHeldOutCount, seed: UInt64 = 0
  ) throws -> PreferenceDataset {
    PreferenceDataset(
      name: rawValue, train: try pairs(count: trainCount, seed: seed, split: .train),
      heldOut: try pairs(count: heldOutCount, seed: seed, split: .heldOut))
  }

  /// Train and held-out draws use different streams, so changing one count
  /// never changes the other side's rows.
  static func splitSeed(_ seed: UInt64, _ split: DataSplit) -> UInt64 {
    split == .train ? seed : seed ^ 0xA5A5_5A5A_D00D_FEED
  }
}

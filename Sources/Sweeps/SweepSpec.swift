import Foundation

/// What a user asks for when launching a β ablation: the axes and the
/// training options every run shares.
///
/// The same type backs `dpotop sweep`'s options and the dashboard's form, and
/// `SweepSpec.parse` is the single place a typed-in value is validated, so the
/// two can never accept different things.
public struct SweepSpec: Sendable, Equatable, Codable {
  /// Objectives the embedded trainer knows.
  public static let knownObjectives = ["dpo", "dpop", "ipo", "slic"]

  public var objectives: [String] = ["dpo", "dpop"]
  public var betas: [Double] = [0.1, 0.3, 1.0]
  public var lambda: Double = 50
  public var steps: Int = 150
  public var learningRate: Double = 1e-4
  /// A built-in dataset name or a JSONL file path.
  public var data: String = "math-low-edit"
  public var seeds: [Int] = [1]
  /// How many runs may train at once (local backend).
  public var jobs: Int = SweepSpec.defaultJobs
  /// The sweep directory to create.
  public var out: String = "runs/sweep"
  /// The reference checkpoint (nil: the trainer's default, the shipped reference).
  public var reference: String?
  /// `dpotop train --best-of` for the preference runs (nil: the trainer's default, 8).
  public var bestOf: Int?

  /// A spec holding the defaults (the paper's ablation: DPO and DPOP × β ∈ {0.1, 0.3, 1.0}).
  public init() {}

  /// One job per core, at least one.
  public static var defaultJobs: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

  enum CodingKeys: String, CodingKey {
    case objectives, betas, lambda, steps
    case learningRate = "learning_rate"
    case data, seeds, jobs, out, reference
    case bestOf = "best_of"
  }
}

// MARK: - Parsing typed-in values

extension SweepSpec {
  /// The fields a user can type, in form order, with their option names.
  public enum Field: String, CaseIterable, Sendable {
    case objectives, betas, lambda, steps, lr, data, seeds, jobs, out
  }

  /// The current value of `field`, as text (what the form shows).
  public func text(_ field: Field) -> String {
    switch field {
    case .objectives: return objectives.joined(separator: ",")
    case .betas: return betas.map(formatNumber).joined(separator: ",")
    case .lambda: return formatNumber(lambda)
    case .steps: return String(steps)
    case .lr: return formatNumber(learningRate)
    case .data: return data
    case .seeds: return seeds.map(String.init).joined(separator: ",")
    case .jobs: return String(jobs)
    case .out: return out
    }
  }

  /// Sets `field` from typed text, or throws a message naming the field.
  public mutating func set(_ field: Field, _ text: String) throws(SweepError) {
    let name = field.rawValue
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard trimmed.utf8.count <= 4096 else {
      throw SweepError(field: name, "value is too long (\(trimmed.utf8.count) bytes)")
    }
    switch field {
    case .objectives:
      let list = try Self.list(trimmed, field: name)
      for o in list where !Self.knownObjectives.contains(o) {
        throw SweepError(
          field: name, "unknown objective '\(sanitizeForMessage(o))'",
          hint: "one or more of \(Self.knownObjectives.joined(separator: ", "))")
      }
      guard Set(list).count == list.count else {
        throw SweepError(field: name, "repeated objective")
      }
      objectives = list
    case .betas:
      let list = try Self.list(trimmed, field: name).map { item throws(SweepError) in
        try Self.positive(item, field: name, what: "β")
      }
      guard Set(list).count == list.count else { throw SweepError(field: name, "repeated β") }
      betas = list
    case .lambda:
      guard let v = Double(trimmed), v.isFinite, v >= 0 else {
        throw SweepError(field: name, "'\(sanitizeForMessage(trimmed))' is not a number ≥ 0")
      }
      lambda = v
    case .steps:
      guard let v = Int(trimmed), (1...10_000_000).contains(v) else {
        throw SweepError(field: name, "'\(sanitizeForMessage(trimmed))' is not a step count ≥ 1")
      }
      steps = v
    case .lr:
      let v = try Self.positive(trimmed, field: name, what: "learning rate")
      guard v < 1 else { throw SweepError(field: name, "a learning rate must be < 1") }
      learningRate = v
    case .data:
      guard !trimmed.isEmpty else { throw SweepError(field: name, "needs a dataset name or file") }
      guard !trimmed.contains("\0"), !trimmed.contains("\n") else {
        throw SweepError(field: name, "contains a control character")
      }
      data = trimmed
    case .seeds:
      let list = try Self.list(trimmed, field: name).map { item throws(SweepError) -> Int in
        guard let v = Int(item), v >= 0, v <= Int(Int32.max) else {
          throw SweepError(field: name, "'\(sanitizeForMessage(item))' is not a seed ≥ 0")
        }
        return v
      }
      guard Set(list).count == list.count else { throw SweepError(field: name, "repeated seed") }
      seeds = list
    case .jobs:
      guard let v = Int(trimmed), (1...256).contains(v) else {
        throw SweepError(field: name, "'\(sanitizeForMessage(trimmed))' is not a job count 1...256")
      }
      jobs = v
    case .out:
      try SafeName.checkPath(trimmed, field: name)
      out = trimmed
    }
  }

  /// Checks the combination (each field was checked when set).
  public func validate() throws(SweepError) {
    let runs = objectives.count * betas.count * seeds.count
    guard runs > 0 else { throw SweepError("the sweep has no runs") }
    guard runs <= 1000 else {
      throw SweepError("the sweep has \(runs) runs; at most 1000 are allowed")
    }
  }

  private static func list(_ text: String, field: String) throws(SweepError) -> [String] {
    let items = text.split(separator: ",", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    guard !items.isEmpty, !items.contains(where: \.isEmpty) else {
      throw SweepError(field: field, "needs a comma-separated list without empty items")
    }
    return items
  }

  private static func positive(_ text: String, field: String, what: String) throws(SweepError)
    -> Double
  {
    guard let v = Double(text), v.isFinite else {
      throw SweepError(field: field, "'\(sanitizeForMessage(text))' is not a number")
    }
    guard v > 0 else { throw SweepError(field: field, "\(what) must be > 0, got \(text)") }
    return v
  }
}

/// Shortest decimal text of `x` that reads back as `x` (0.1, not 0.1000000000000000055).
public func formatNumber(_ x: Double) -> String {
  if x == x.rounded(), abs(x) < 1e15 { return String(format: "%.1f", x) }
  return "\(x)"
}

/// Keeps user text printable in an error message (controls become `?`), and short.
func sanitizeForMessage(_ s: String) -> String {
  let cleaned = String(
    s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
  return cleaned.count > 40 ? String(cleaned.prefix(40)) + "…" : cleaned
}

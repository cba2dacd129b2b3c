/// One run of `dpotop reproduce`: an objective and β on one built-in
/// dataset, with a seed when the runs are repeated over seeds.
public struct ReproductionRun: Sendable, Equatable {
  public var objective: String
  public var beta: Double
  public var data: String
  /// Nil: the trainer's default seed, and the name without one.
  public var seed: Int?

  public init(objective: String, beta: Double, data: String, seed: Int? = nil) {
    self.objective = objective
    self.beta = beta
    self.data = data
    self.seed = seed
  }

  /// The run's directory name under the output directory (and its log's, plus `.log`).
  public var name: String { "\(data)-\(objective)-b\(beta)" + (seed.map { "-s\($0)" } ?? "") }

  /// The run's cell: the same run with no seed (what seeds are averaged over).
  public var cell: ReproductionRun {
    var c = self
    c.seed = nil
    return c
  }

  /// The paper's low-edit sweep: DPO and DPOP at β 0.1, 0.3 and 1.0.
  public static let lowEdit: [ReproductionRun] = ["dpo", "dpop"].flatMap { objective in
    [0.1, 0.3, 1.0].map { ReproductionRun(objective: objective, beta: $0, data: "math-low-edit") }
  }

  /// The DPO/DPOP pair on the high-edit-distance pairs.
  public static let highEdit = [
    ReproductionRun(objective: "dpo", beta: 0.1, data: "math-high-edit"),
    ReproductionRun(objective: "dpop", beta: 0.1, data: "math-high-edit"),
  ]

  /// Each run once per seed 1...count.
  public static func withSeeds(_ runs: [ReproductionRun], _ count: Int) -> [ReproductionRun] {
    runs.flatMap { run in
      (1...count).map { seed in
        var r = run
        r.seed = seed
        return r
      }
    }
  }

  /// `dpotop train`'s arguments for this run, writing into `out`, before `common`.
  public func trainArguments(out: String, common: [String]) -> [String] {
    [
      "train", "--objective", objective, "--beta", String(beta), "--data", data, "--out",
      out + "/" + name,
    ] + (seed.map { ["--seed", String($0)] } ?? []) + common
  }
}

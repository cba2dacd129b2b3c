/// One run of a sweep: its axis values and its directory name.
public struct PlannedRun: Sendable, Equatable, Codable {
  /// Directory name inside the sweep directory, e.g. `dpop-b0.3-s1`.
  public var name: String
  public var objective: String
  public var beta: Double
  public var seed: Int

  /// The sweep axes as the manifest records them.
  public var axes: [String: String] {
    ["objective": objective, "beta": formatNumber(beta), "seed": String(seed)]
  }
}

extension SweepSpec {
  /// Every combination of objective × β × seed, objectives outermost, in the
  /// order given (the order runs are launched and listed).
  public func plan() -> [PlannedRun] {
    var runs: [PlannedRun] = []
    for o in objectives {
      for b in betas {
        for s in seeds {
          runs.append(
            PlannedRun(name: "\(o)-b\(formatNumber(b))-s\(s)", objective: o, beta: b, seed: s))
        }
      }
    }
    return runs
  }
}

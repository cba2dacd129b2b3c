import Foundation
import RunLog

/// `dpotop reproduce --seeds N`: every run once per seed, and a table
/// of mean ± sample standard deviation over the seeds, so a claim rests on
/// more than one noisy run.
extension ReproduceCommand {
  /// Each spec once per seed 1...count.
  static func withSeeds(_ specs: [Spec], _ count: Int) -> [Spec] {
    specs.flatMap { spec in
      (1...count).map { seed in
        var s = spec
        s.seed = seed
        return s
      }
    }
  }

  /// `-5.63±1.10`, or `-` without values.
  static func meanSD(_ values: [Double], digits: Int = 2) -> String {
    guard let s = SeedStats(values) else { return "-" }
    return String(format: "%.\(digits)f±%.\(digits)f", s.mean, s.sd)
  }

  /// One line per cell (data, objective, β): the held-out chosen log-ratio
  /// at each evaluation, the final margin, reward and task accuracy, each
  /// as mean ± sd over the seeds that evaluated, and n.
  static func printSeedTable(_ specs: [Spec], out: String) {
    var order: [String] = []
    var cells: [String: [Spec]] = [:]
    for spec in specs {
      var cell = spec
      cell.seed = nil
      if cells[cell.name] == nil { order.append(cell.name) }
      cells[cell.name, default: []].append(spec)
    }
    print("mean ± sd over seeds (sample sd, n - 1); n = seeds that evaluated")
    print(
      "cell                       n  held-out chosen log-ratio at each eval ...  | margin  r.acc  task acc after"
    )
    for name in order {
      let members = cells[name] ?? []
      let runs = members.map { evals(out + "/" + $0.name) }.filter { !$0.isEmpty }
      guard !runs.isEmpty else {
        print("\(name): no evaluations")
        continue
      }
      let evalCount = runs.map(\.count).max() ?? 0
      var trajectory: [String] = []
      for k in 0..<evalCount {
        let values = runs.compactMap { records -> Double? in
          guard k < records.count else { return nil }
          let v = records[k].1
          return (v[MetricKey.logpsChosen] ?? .nan) - (v[MetricKey.logpsRefChosen] ?? .nan)
        }
        trajectory.append(meanSD(values))
      }
      func final(_ key: String) -> [Double] { runs.compactMap { $0.last?.1[key] } }
      print(
        name.padding(toLength: 26, withPad: " ", startingAt: 0)
          + String(format: " %d  ", runs.count)
          + trajectory.joined(separator: " ") + "  | " + meanSD(final(MetricKey.rewardsMargins))
          + "  " + meanSD(final(MetricKey.rewardsAccuracies)) + "  "
          + meanSD(final(MetricKey.taskAccuracy), digits: 3))
    }
  }
}

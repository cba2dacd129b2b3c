import Foundation
import RunLog

/// The tables `dpotop reproduce` prints about its runs, read from their
/// directories under `out`: each run's held-out chosen log-ratio at each
/// evaluation, and (with seeds) mean ± sd over seeds.
public enum ReproductionReport {
  /// The CPU seconds a trainer reported on its last line ("... s CPU"), or 0.
  public static func cpuSeconds(_ log: String) -> Double {
    let text = readTextFile(log) ?? ""
    guard let line = text.split(separator: "\n").last(where: { $0.hasSuffix(" s CPU") }) else {
      return 0
    }
    let words = line.split(separator: " ")
    return words.count >= 3 ? Double(words[words.count - 3]) ?? 0 : 0
  }

  /// Eval records of a run: step → metrics.
  public static func evals(_ dir: String) -> [(Int, [String: Double])] {
    let text = readTextFile(dir + "/metrics.jsonl") ?? ""
    var out: [(Int, [String: Double])] = []
    for line in text.split(separator: "\n") {
      guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        obj["split"] as? String == "eval", let step = obj["step"] as? Int
      else { continue }
      out.append((step, obj.compactMapValues { $0 as? Double }))
    }
    return out
  }

  /// One line per run: its held-out chosen log-ratio at each evaluation,
  /// the final margin and reward accuracy, and task accuracy before and after.
  public static func table(_ specs: [ReproductionRun], out: String) -> String {
    var text = ""
    func say(_ s: String = "") { text += s + "\n" }
    say("held-out chosen log-ratio = mean log pi(yw|x) - log pi_ref(yw|x) (nats), at each eval")
    say(
      "run                          edit   steps: chosen log-ratio ...            margin  r.acc  task acc before -> after"
    )
    for spec in specs {
      let dir = out + "/" + spec.name
      let records = evals(dir)
      let edit = (try? RunDirectory(path: dir).readManifest().dataset?.meanEditDistance) ?? nil
      guard let first = records.first, let last = records.last else {
        say("\(spec.name): no evaluations (see \(dir).log)")
        continue
      }
      let ratios = records.map { _, v in
        (v[MetricKey.logpsChosen] ?? .nan) - (v[MetricKey.logpsRefChosen] ?? .nan)
      }
      let trajectory = ratios.map { String(format: "%.2f", $0) }.joined(separator: " ")
      let line =
        spec.name.padding(toLength: 28, withPad: " ", startingAt: 0)
        + String(format: " %.3f  ", edit ?? .nan) + trajectory
        + String(
          format: "  | %.2f  %.2f  %.3f -> %.3f", last.1[MetricKey.rewardsMargins] ?? .nan,
          last.1[MetricKey.rewardsAccuracies] ?? .nan, first.1[MetricKey.taskAccuracy] ?? .nan,
          last.1[MetricKey.taskAccuracy] ?? .nan)
      say(line)
    }
    return text
  }
}

extension ReproductionReport {
  /// `-5.63±1.10`, or `-` without values.
  static func meanSD(_ values: [Double], digits: Int = 2) -> String {
    guard let s = SeedStats(values) else { return "-" }
    return String(format: "%.\(digits)f±%.\(digits)f", s.mean, s.sd)
  }

  /// One line per cell (data, objective, β): the held-out chosen log-ratio
  /// at each evaluation, the final margin, reward and task accuracy, each
  /// as mean ± sd over the seeds that evaluated, and n.
  public static func seedTable(_ specs: [ReproductionRun], out: String) -> String {
    var text = ""
    func say(_ s: String = "") { text += s + "\n" }
    var order: [String] = []
    var cells: [String: [ReproductionRun]] = [:]
    for spec in specs {
      let cell = spec.cell
      if cells[cell.name] == nil { order.append(cell.name) }
      cells[cell.name, default: []].append(spec)
    }
    say("mean ± sd over seeds (sample sd, n - 1); n = seeds that evaluated")
    say(
      "cell                       n  held-out chosen log-ratio at each eval ...  | margin  r.acc  task acc after"
    )
    for name in order {
      let members = cells[name] ?? []
      let runs = members.map { evals(out + "/" + $0.name) }.filter { !$0.isEmpty }
      guard !runs.isEmpty else {
        say("\(name): no evaluations")
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
      say(
        name.padding(toLength: 26, withPad: " ", startingAt: 0)
          + String(format: " %d  ", runs.count)
          + trajectory.joined(separator: " ") + "  | " + meanSD(final(MetricKey.rewardsMargins))
          + "  " + meanSD(final(MetricKey.rewardsAccuracies)) + "  "
          + meanSD(final(MetricKey.taskAccuracy), digits: 3))
    }
    return text
  }
}

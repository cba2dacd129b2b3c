import Foundation
import RunLog

/// The part of `dpotop reproduce` that asks whether DPO sharpens toward
/// the right answer (issue 29): greedy, best-of-N and temperature-1 sample
/// accuracy before and after, and the log-ratio log πθ(y*) − log πref(y*) of
/// the greedy decodes split by whether they are right — does the mass that
/// moves onto y* land on right answers or on wrong ones?
extension ReproductionReport {
  /// One cell's values over its seeds: first and last evaluation of each run.
  struct SharpeningCell {
    var name: String
    var runs: [[(Int, [String: Double])]]

    func first(_ key: String) -> [Double] { runs.compactMap { $0.first?.1[key] } }
    func last(_ key: String) -> [Double] { runs.compactMap { $0.last?.1[key] } }
    /// policy − reference of a key pair at the last evaluation (runs that logged both).
    func lastRatio(_ policy: String, _ ref: String) -> [Double] {
      runs.compactMap { r in
        guard let v = r.last?.1, let p = v[policy], let q = v[ref] else { return nil }
        return p - q
      }
    }
  }

  /// The runs of `specs` grouped by cell (data, objective, β), seeds together.
  static func sharpeningCells(_ specs: [ReproductionRun], out: String) -> [SharpeningCell] {
    var order: [String] = []
    var runs: [String: [[(Int, [String: Double])]]] = [:]
    for spec in specs {
      let cell = spec.cell
      let records = evals(out + "/" + spec.name)
      guard !records.isEmpty else { continue }
      if runs[cell.name] == nil { order.append(cell.name) }
      runs[cell.name, default: []].append(records)
    }
    return order.map { SharpeningCell(name: $0, runs: runs[$0] ?? []) }
  }

  /// `0.95 -> 0.14` with each side as mean ± sd over the seeds.
  static func beforeAfter(_ cell: SharpeningCell, _ key: String) -> String {
    meanSD(cell.first(key), digits: 2) + " -> " + meanSD(cell.last(key), digits: 2)
  }

  /// The sharpening tables, for the runs that logged best-of-N.
  public static func sharpening(_ specs: [ReproductionRun], out: String) -> String {
    var text = ""
    func say(_ s: String = "") { text += s + "\n" }
    let cells = sharpeningCells(specs, out: out).filter { !$0.last(MetricKey.bonLogps).isEmpty }
    guard !cells.isEmpty else { return "" }
    say()
    say("sharpening (held-out, first -> last evaluation; mean±sd over seeds, n = runs):")
    say("  greedy = task accuracy; bon = the most likely of 8 samples (temperature 1) is right;")
    say("  any = some sample is right (pass@8); sample = share of all samples right")
    say(
      "cell                        n  "
        + ["greedy acc", "bon acc", "sample acc", "any (pass@8)"].map {
          $0.padding(toLength: 24, withPad: " ", startingAt: 0)
        }.joined())
    for cell in cells {
      say(
        cell.name.padding(toLength: 26, withPad: " ", startingAt: 0)
          + String(format: " %2d  ", cell.runs.count)
          + [
            MetricKey.taskAccuracy, MetricKey.bonAccuracy, MetricKey.sampleAccuracy,
            MetricKey.bonAnyCorrect,
          ].map { beforeAfter(cell, $0).padding(toLength: 24, withPad: " ", startingAt: 0) }
          .joined())
    }
    say()
    say("where the mass goes (last evaluation): log pi(y|x) - log pi_ref(y|x), nats, of the")
    say("best-of-8 sample and of the greedy decodes y*, split by whether y* is right")
    say("(a seed with no right or no wrong y* adds nothing to that column; n per column)")
    say(
      "cell                        bon log-ratio    right y*          n  wrong y*           n  y* right"
    )
    for cell in cells {
      let bon = cell.lastRatio(MetricKey.bonLogps, MetricKey.bonRefLogps)
      let right = cell.lastRatio(MetricKey.greedyCorrectLogps, MetricKey.greedyRefCorrectLogps)
      let wrong = cell.lastRatio(MetricKey.greedyWrongLogps, MetricKey.greedyRefWrongLogps)
      say(
        cell.name.padding(toLength: 26, withPad: " ", startingAt: 0) + "  "
          + meanSD(bon).padding(toLength: 15, withPad: " ", startingAt: 0) + "  "
          + meanSD(right).padding(toLength: 16, withPad: " ", startingAt: 0)
          + String(format: " %2d  ", right.count)
          + meanSD(wrong).padding(toLength: 16, withPad: " ", startingAt: 0)
          + String(format: " %2d  ", wrong.count)
          + meanSD(cell.last(MetricKey.taskAccuracy)))
    }
    return text
  }
}

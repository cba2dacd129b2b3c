import Foundation
import RunLog

/// The part of `dpotop reproduce` that says where the chosen likelihood
/// went (issue 15): the share of the held-out chosen log-ratio's fall that
/// lies on the prefix chosen and rejected share, and whether the policy's
/// own greedy decode gained log-probability (squeezing).
extension ReproductionReport {
  /// Both tables, for the runs that logged the metrics.
  public static func whereLikelihoodGoes(_ specs: [ReproductionRun], out: String) -> String {
    var text = ""
    func say(_ s: String = "") { text += s + "\n" }
    say()
    say("where the chosen likelihood goes (held-out, last evaluation):")
    say("  prefix share = (chosen_prefix - ref_chosen_prefix) / (chosen - ref_chosen)")
    say(
      "run                          chosen log-ratio  prefix part  from edit   prefix share")
    for spec in specs {
      guard let last = evals(out + "/" + spec.name).last?.1, let split = prefixSplit(last) else {
        continue
      }
      say(
        spec.name.padding(toLength: 28, withPad: " ", startingAt: 0)
          + String(
            format: " %16.3f %12.3f %10.3f   %@", split.whole, split.prefix,
            split.whole - split.prefix, share(split) as NSString))
    }
    say()
    say("squeezing: greedy log-ratio log pi(y*|x) - log pi_ref(y*|x) of the policy's own")
    say("greedy decodes y*, at each evaluation (rises: mass moved onto y*)")
    for spec in specs {
      let records = evals(out + "/" + spec.name)
      let ratios = records.compactMap { _, v -> Double? in
        guard let g = v[MetricKey.logpsGreedy], let r = v[MetricKey.logpsRefGreedy] else {
          return nil
        }
        return g - r
      }
      guard let first = ratios.first, let last = ratios.last else { continue }
      let verdict = last > first + 0.05 ? "rises" : (last < first - 0.05 ? "falls" : "flat")
      say(
        spec.name.padding(toLength: 28, withPad: " ", startingAt: 0) + " "
          + ratios.map { String(format: "%.2f", $0) }.joined(separator: " ") + "  -> " + verdict)
    }
    return text
  }

  /// The whole held-out chosen log-ratio and its shared-prefix part.
  static func prefixSplit(_ v: [String: Double]) -> (whole: Double, prefix: Double)? {
    guard let c = v[MetricKey.logpsChosen], let rc = v[MetricKey.logpsRefChosen],
      let p = v[MetricKey.logpsChosenPrefix], let rp = v[MetricKey.logpsRefChosenPrefix]
    else { return nil }
    return (c - rc, p - rp)
  }

  /// "23 %" of a fall, or why there is no share.
  static func share(_ split: (whole: Double, prefix: Double)) -> String {
    guard split.whole < -0.05 else { return "(no fall)" }
    return String(format: "%.0f %%", 100 * split.prefix / split.whole)
  }
}

import RunLog

@testable import Dashboard

/// Runs logging what a TRL DPO run logs besides the DPO keys.
enum MetricsFixtures {
  /// `Fixtures.store` plus grad_norm, learning_rate (constant), num_tokens,
  /// logits/chosen, a key logged once (train_runtime at the last step) and,
  /// when `nonFinite`, NaN and ±Inf points in grad_norm and the loss.
  static func store(steps: Int = 100, seed: Double = 1, nonFinite: Bool = false) -> SeriesStore {
    Fixtures.store(steps: steps, drift: -0.1 * seed) { i in
      let x = Double(i)
      var grad = 2 / (1 + x / 10) + 0.3 * seed * (x.truncatingRemainder(dividingBy: 7) / 7)
      if nonFinite && i == 60 { grad = .nan }
      if nonFinite && i == 70 { grad = .infinity }
      var values: [(String, Double)] = [
        ("grad_norm", grad), ("learning_rate", 5e-7), ("num_tokens", 512 * (x + 1)),
        ("logits/chosen", -1 - 0.01 * x * seed), ("logits/rejected", -1.2 - 0.02 * x),
      ]
      if nonFinite && i == 80 { values.append((MetricKey.loss, -.infinity)) }
      if nonFinite && i == 85 { values.append((MetricKey.loss, .nan)) }
      if i == steps - 1 { values.append(("train_runtime", 1234.5)) }
      return values
    }
  }

  /// Two TRL-like runs, both marked for the charts.
  static func twoRuns(
    width: Int, height: Int, config: DashboardConfig = DashboardConfig(), nonFinite: Bool = false
  ) -> DashboardState {
    var s = Fixtures.state(
      [
        (Fixtures.manifest("dpo-b0.1"), store(seed: 1, nonFinite: nonFinite)),
        (Fixtures.manifest("dpop-b0.1", objective: "dpop", lambda: 50), store(seed: 2)),
      ], width: width, height: height, config: config)
    _ = update(&s, .key(.char("a")))
    _ = update(&s, .key(.char("M")))
    return s
  }

  /// One run logging `keys` keys under ten prefixes (`block3/grad_norm`), 50 steps.
  static func manyKeys(_ keys: Int, runs: Int = 1, width: Int, height: Int) -> DashboardState {
    var list: [(RunManifest, SeriesStore)] = []
    for r in 0..<runs {
      var s = SeriesStore()
      for i in 0..<50 {
        let values = (0..<keys).map { k in
          ("block\(k % 10)/key\(k / 10)", Double(k % 13) + Double(i) * 0.01 * Double(k % 5 + 1 + r))
        }
        s.append(
          MetricRecord(step: i, time: 1_700_000_000 + Double(i), split: .train, values: values))
      }
      list.append((Fixtures.manifest("many-\(r)"), s))
    }
    var s = Fixtures.state(list, width: width, height: height)
    _ = update(&s, .key(.char("a")))
    _ = update(&s, .key(.char("M")))
    return s
  }
}

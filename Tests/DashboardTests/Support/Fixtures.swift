import RunLog

@testable import Dashboard

/// Deterministic runs for screen tests.
enum Fixtures {
  /// A manifest for a finished (or running) DPO-family run.
  static func manifest(
    _ name: String, objective: String = "dpo", beta: Double = 0.1, lambda: Double? = nil,
    status: RunStatus = .finished, planned: Int? = 100
  ) -> RunManifest {
    var m = RunManifest(id: name, name: name, createdAt: 1_700_000_000, status: status)
    m.objective = objective
    m.beta = beta
    m.lambda = lambda
    m.plannedSteps = planned
    m.learningRate = 1e-4
    m.batchSize = 32
    m.seed = 1
    m.dataset = DatasetInfo(
      name: "math-low-edit", examples: 2000, heldOut: 200, meanEditDistance: 0.05)
    m.model = ModelInfo(layers: 4, dim: 128, heads: 4, context: 64, vocab: 32, parameters: 830_000)
    return m
  }

  /// `steps` training records of a run whose chosen log-prob drifts by
  /// `drift` per step (negative: the DPO failure mode), plus an eval record
  /// every 10 steps. Times are 2 s apart from 1 700 000 000. `extra` adds
  /// (or replaces) training values at a step.
  static func store(
    steps: Int, beta: Double = 0.1, drift: Double = -0.1, refs: Bool = true, from: Int = 0,
    extra: (Int) -> [(String, Double)] = { _ in [] }
  ) -> SeriesStore {
    var s = SeriesStore()
    for i in from..<from + steps {
      let x = Double(i)
      let chosen = -20 + drift * x
      let rejected = -25 - 0.3 * x
      var values: [(String, Double)] = [
        (MetricKey.loss, 0.69 / (1 + x / 20)),
        (MetricKey.logpsChosen, chosen), (MetricKey.logpsRejected, rejected),
        (MetricKey.rewardsChosen, beta * (chosen + 20)),
        (MetricKey.rewardsRejected, beta * (rejected + 25)),
        (MetricKey.rewardsMargins, beta * (chosen + 20 - rejected - 25)),
        (MetricKey.rewardsAccuracies, min(1, 0.5 + x / 100)),
        (MetricKey.dpopPenalty, max(0, -drift * x)),
      ]
      if refs {
        values.append((MetricKey.logpsRefChosen, -20))
        values.append((MetricKey.logpsRefRejected, -25))
      }
      // Later values of a key replace earlier ones (a test's NaN loss).
      let more = extra(i)
      values = values.filter { v in !more.contains { $0.0 == v.0 } } + more
      s.append(MetricRecord(step: i, time: 1_700_000_000 + 2 * x, split: .train, values: values))
      if i % 10 == 0 {
        s.append(
          MetricRecord(
            step: i, time: 1_700_000_000 + 2 * x, split: .eval,
            values: [(MetricKey.taskAccuracy, 0.9 - x / 500), (MetricKey.loss, 0.7 / (1 + x / 30))])
        )
      }
    }
    return s
  }

  /// A state of `width × height` holding the given runs with their data.
  static func state(
    _ runs: [(RunManifest, SeriesStore)], width: Int = 120, height: Int = 40,
    config: DashboardConfig = DashboardConfig()
  ) -> DashboardState {
    var c = config
    c.width = width
    c.height = height
    var state = DashboardState(config: c)
    for (m, store) in runs {
      _ = update(&state, .runUpdated(id: "runs/" + m.name, kind: "dpotop", manifest: m))
      _ = update(
        &state,
        .metrics(id: "runs/" + m.name, delta: store, reset: false, badCount: 0, recentBad: []))
    }
    _ = update(&state, .tick(now: 1_700_000_000 + 3723))
    return state
  }

  /// Two runs: DPO drifting below the reference, DPOP holding.
  static func twoRuns(
    width: Int = 120, height: Int = 40, config: DashboardConfig = DashboardConfig()
  )
    -> DashboardState
  {
    state(
      [
        (manifest("dpo-b0.1"), store(steps: 100, drift: -0.1)),
        (manifest("dpop-b0.1", objective: "dpop", lambda: 50), store(steps: 100, drift: 0.02)),
      ], width: width, height: height, config: config)
  }
}

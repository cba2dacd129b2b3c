import RunLog

extension RunData {
  /// Σ sign·value of the series `terms` of `split`, at the steps where all
  /// of them are logged; nil when one of them is not logged at all.
  ///
  /// Computed when a chart asks (not kept): the held-out series it is used
  /// for have one point per evaluation.
  func combination(_ terms: [(key: String, sign: Double)], _ split: Split = .eval) -> PlotSeries? {
    let columns = terms.compactMap { series[SeriesID($0.key, split)]?.points }
    guard columns.count == terms.count, let first = columns.first else { return nil }
    var steps: [Int] = []
    var values: [Float] = []
    var cursors = [Int](repeating: 0, count: columns.count)
    outer: for i in 0..<first.count {
      let step = first.steps[i]
      var sum = terms[0].sign * first.value(at: i)
      for c in 1..<columns.count {
        let col = columns[c]
        while cursors[c] < col.count && col.steps[cursors[c]] < step { cursors[c] += 1 }
        guard cursors[c] < col.count, col.steps[cursors[c]] == step else { continue outer }
        sum += terms[c].sign * col.value(at: cursors[c])
      }
      steps.append(step)
      values.append(PlotPoints.narrow(sum))
    }
    return PlotSeries(PlotPoints(steps: steps, values: values))
  }

  /// Held-out chosen log-ratio on the shared prefix (the tokens before the
  /// first difference): logps/chosen_prefix − logps/ref_chosen_prefix.
  var prefixLogRatio: PlotSeries? {
    combination([(MetricKey.logpsChosenPrefix, 1), (MetricKey.logpsRefChosenPrefix, -1)])
  }

  /// Held-out chosen log-ratio from the first difference on: the whole
  /// ratio minus its prefix part.
  var fromEditLogRatio: PlotSeries? {
    combination([
      (MetricKey.logpsChosen, 1), (MetricKey.logpsChosenPrefix, -1),
      (MetricKey.logpsRefChosen, -1), (MetricKey.logpsRefChosenPrefix, 1),
    ])
  }

  /// Held-out rejected log-ratio: logps/rejected − logps/ref_rejected.
  var rejectedLogRatio: PlotSeries? {
    combination([(MetricKey.logpsRejected, 1), (MetricKey.logpsRefRejected, -1)])
  }

  /// Held-out log-ratio of the most likely of the best-of-N samples:
  /// bon/logps − bon/ref_logps.
  var bestOfNLogRatio: PlotSeries? {
    combination([(MetricKey.bonLogps, 1), (MetricKey.bonRefLogps, -1)])
  }

  /// A held-out share (0…1) in percent, for a chart that puts it beside nats.
  func percent(_ key: String) -> PlotSeries? { combination([(key, 100)]) }

  /// Held-out log-ratio of the policy's greedy decodes: logps/greedy − logps/ref_greedy.
  var greedyLogRatio: PlotSeries? {
    combination([(MetricKey.logpsGreedy, 1), (MetricKey.logpsRefGreedy, -1)])
  }
}

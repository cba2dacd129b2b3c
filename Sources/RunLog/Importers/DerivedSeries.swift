/// Series an importer derives from others so every chart has its data.
///
/// TRL logs the implicit rewards β·(log πθ − log πref) but not the reference
/// log-probs, so the failure-mode chart (the chosen log-ratio against zero)
/// has no input. Dividing by β recovers it exactly:
/// `derived/logratio_chosen = rewards/chosen ÷ β` (same for rejected).
/// Derived only when β is known and positive and the split has no
/// `logps/ref_chosen` of its own.
enum DerivedSeries {
  /// The derivations: (source key, derived key).
  static let pairs = [
    (MetricKey.rewardsChosen, ImportedNames.Derived.logRatioChosen),
    (MetricKey.rewardsRejected, ImportedNames.Derived.logRatioRejected),
  ]

  /// Brings the derived series of `store` up to date with their sources.
  ///
  /// Incremental: only points appended since the last call are divided; when
  /// a source series was superseded (a resumed run) the derived one is rebuilt.
  /// Returns true when any series was derived (for the source's notes).
  @discardableResult
  static func update(_ store: inout SeriesStore, beta: Double?) -> Bool {
    guard let beta, beta.isFinite, beta > 0 else { return false }
    var any = false
    for split in Split.allCases where store.series(MetricKey.logpsRefChosen, split) == nil {
      for (source, target) in pairs {
        guard let src = store.series(source, split) else { continue }
        any = true
        // Only the count and last step of what was derived: holding the series
        // itself would make every append below copy it.
        let n = store.series(target, split)?.count ?? 0
        let lastDerived = store.series(target, split)?.lastStep
        let consistent = n <= src.count && (n == 0 || src.steps[n - 1] == lastDerived)
        if consistent {
          if n == src.count { continue }
          for i in n..<src.count {
            store.append(key: target, split: split, step: src.steps[i], value: src.values[i] / beta)
          }
        } else {
          store.setSeries(
            target, split, Series(steps: src.steps, values: src.values.map { $0 / beta }))
        }
      }
    }
    return any
  }

  /// The note shown on screen when a series was derived.
  static func note(beta: Double) -> String {
    "\(ImportedNames.Derived.logRatioChosen) and \(ImportedNames.Derived.logRatioRejected) are "
      + "derived: rewards ÷ β (β = \(beta)); the reference log-probs were not logged"
  }
}

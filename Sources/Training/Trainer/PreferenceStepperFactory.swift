import RunLog

extension Trainer {
  /// Builds the preference objective's stepper (phase 2).
  static func makePreferenceStepper(_ config: TrainingConfig, model: TinyTransformer) throws
    -> (any ObjectiveStepper, RunLogDatasetInfo)
  {
    throw TrainingError(
      .badOption(name: "objective", reason: "\(config.objective.rawValue) is not available yet"))
  }
}

typealias RunLogDatasetInfo = DatasetInfo

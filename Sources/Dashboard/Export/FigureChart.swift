import RunLog

/// A chart a figure can show: one of the dashboard's charts, or any logged
/// key (its training and held-out series, one line per run as in the
/// compare view).
public enum FigureChart: Sendable, Equatable {
  case kind(ChartKind)
  case key(String)

  /// The command-line name of a dashboard chart: its case name in kebab
  /// case (`chosenLogRatio` → `chosen-log-ratio`), so a chart added to
  /// `ChartKind` is named without a list kept here.
  public static func name(_ kind: ChartKind) -> String {
    var out = ""
    for ch in String(describing: kind) {
      if ch.isUppercase {
        out += "-" + ch.lowercased()
      } else {
        out.append(ch)
      }
    }
    return out
  }

  /// Every dashboard chart's name, in screen order.
  public static var names: [String] { ChartKind.allCases.map(name) }

  /// The dashboard chart called `name`, if there is one.
  public static func named(_ name: String) -> FigureChart? {
    ChartKind.allCases.first { Self.name($0) == name }.map(FigureChart.kind)
  }

  /// The file-name-safe name of this chart (`chosen-log-ratio`, `eval-task_accuracy`).
  public var fileName: String {
    switch self {
    case .kind(let k): return Self.name(k)
    case .key(let key):
      return String(key.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "-" })
    }
  }

  /// The chart's model for the state's chart runs.
  func model(_ state: DashboardState) -> ChartModel {
    switch self {
    case .kind(let k): return k.model(state)
    case .key(let key): return ChartModel.key(key, state)
    }
  }

  /// The value axis's label, with the unit.
  var yLabel: String {
    switch self {
    case .kind(let k): return Self.kindLabels[k] ?? k.title
    case .key(let key):
      let unit = Self.keyUnits.first { key.hasPrefix($0.key) }?.value
      return unit.map { "\(key) (\($0))" } ?? key
    }
  }

  /// Value-axis labels of the dashboard charts (a chart missing here shows its title).
  static let kindLabels: [ChartKind: String] = [
    .logps: "log-probability (nats)",
    .chosenLogRatio: "log πθ(yw|x) − log πref(yw|x) (nats)",
    .rewards: "implicit reward β·log-ratio (nats)",
    .penalty: "penalty (nats)",
    .loss: "loss (nats)",
    .accuracy: "accuracy (fraction)",
    .likelihoodSplit: "held-out chosen log-ratio (nats)",
    .squeezing: "held-out log-ratio (nats)",
    .sharpening: "accuracy (%) and best-of-N log-ratio (nats)",
  ]

  /// Units of the keys dpotop's trainer and TRL log, by key prefix.
  static let keyUnits: [(key: String, value: String)] = [
    (MetricKey.loss, "nats"), ("logps/", "nats"), ("logits/", "logits"),
    ("rewards/accuracies", "fraction"), ("rewards/", "nats"), (MetricKey.dpopPenalty, "nats"),
    (MetricKey.taskAccuracy, "fraction"), (MetricKey.tokensPerSecond, "tokens/s"),
    (MetricKey.learningRate, "learning rate"),
  ]
}

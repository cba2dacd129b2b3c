import RunLog

/// The metrics screen's state: a chart per logged key of the chart runs.
public struct MetricsGrid: Sendable, Equatable {
  /// The key filter (see `KeyFilter`), and whether it is being typed.
  public internal(set) var filter = ""
  public internal(set) var editingFilter = false
  /// Index of the focused chart in the filtered key list.
  public internal(set) var focus = 0
  /// Charts across (nil: as many as fit the terminal).
  public internal(set) var columns: Int?
  /// The focused chart is shown alone, full screen.
  public internal(set) var enlarged = false

  /// Widest column count `{`/`}` reach.
  static let maxColumns = 8

  public init(columns: Int? = nil) {
    self.columns = columns.map { min(max(1, $0), Self.maxColumns) }
  }
}

/// One chart's key, and the group it is listed under.
struct MetricKeyEntry: Equatable {
  var key: String
  /// `rewards/`, `logps/`, `eval_` ...; empty for keys without a prefix.
  var group: String
}

extension MetricKeyEntry {
  /// The prefix a key is grouped by: up to its first `/`, else a split-like
  /// word before `_` (`eval_loss`), else none.
  static func group(of key: String) -> String {
    if let slash = key.firstIndex(of: "/") { return String(key[...slash]) }
    for p in ["eval_", "train_", "test_", "val_"] where key.hasPrefix(p) { return p }
    return ""
  }
}

extension DashboardState {
  /// Every key the chart runs logged (train or held-out), keys without a
  /// prefix first, then by group and name, less those the key filter drops.
  var metricKeys: [MetricKeyEntry] {
    var seen = Set<String>()
    for run in chartRuns {
      for split in Split.allCases {
        for key in run.data.keys[split] ?? [] { seen.insert(key) }
      }
    }
    let filter = KeyFilter(metrics.filter)
    return seen.filter(filter.matches).map {
      MetricKeyEntry(key: $0, group: MetricKeyEntry.group(of: $0))
    }
    .sorted { ($0.group, $0.key) < ($1.group, $1.key) }
  }
}

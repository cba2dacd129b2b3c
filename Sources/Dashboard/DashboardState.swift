import RunLog
import Sweeps

/// Which pane keys go to.
public enum Pane: Sendable, Equatable {
  case runs
  case charts
}

/// Which full screen is shown.
public enum Screen: Sendable, Equatable {
  case main
  /// The run-detail screen of the run with this id.
  case detail(String)
  /// The token view of the run with this id (its probes, token by token).
  case tokens(String)
  /// A chart per logged key of the chart runs (`M`).
  case metrics
}

/// An action waiting for the user's `y`.
public enum Confirmation: Sendable, Equatable {
  case cancel(ids: [String])
  case resume(ids: [String])
}

/// The whole dashboard as one value: `update` changes it, `render` draws it.
public struct DashboardState: Sendable {
  /// The session's fixed configuration.
  public let config: DashboardConfig
  /// Terminal size in cells.
  public internal(set) var width: Int
  public internal(set) var height: Int
  /// The runs pane's model: runs, groups, filter, rows, cursor, scroll.
  public internal(set) var runList = RunList()
  /// Ids of runs marked for the charts (empty: the cursor's run).
  public internal(set) var selected: Set<String> = []
  /// Marks restored from a saved view whose runs have not shown up yet.
  var pendingMarks: Set<String> = []
  /// Each marked run's colour slot, kept while others come and go (`RunLooks`).
  public internal(set) var runSlots: [String: Int] = [:]
  /// The pane with the focus.
  public internal(set) var focus: Pane = .runs
  /// The chart with the focus (first shown when not all fit).
  public internal(set) var chartFocus = 0
  /// The first chart shown, when a click focused a chart: the charts stay
  /// put rather than scroll to the clicked one (nil: from `chartFocus`).
  public internal(set) var chartFirst: Int?
  /// A drag on a chart in progress (`MouseDrag`).
  var mouseDrag: MouseDrag?
  /// The screen shown, and whether the help overlay is up.
  public internal(set) var screen: Screen = .main
  public internal(set) var showHelp = false
  /// Scroll offset of the run-detail screen.
  var detailScroll = 0
  /// The token view's probe (index into the run's probe indices), the
  /// evaluation step picked with its keys (nil: the latest, or the replay
  /// position), and its scroll offset.
  public internal(set) var tokenProbe = 0
  public internal(set) var tokenStep: Int?
  var tokenScroll = 0
  /// The metrics screen's key filter, focus, columns and enlarged chart.
  public internal(set) var metrics = MetricsGrid()
  /// Live or replay.
  public internal(set) var mode: DashboardMode
  /// EMA smoothing on/off and its weight.
  public internal(set) var smoothing = false
  public internal(set) var smoothingWeight = 0.6
  /// Runs whose data currently holds smoothed series.
  var smoothed: Set<String> = []
  /// Step-axis zoom: the window is `1 / 2^zoom` of the run's steps, starting
  /// at fraction `panStart` of them.
  public internal(set) var zoom = 0
  public internal(set) var panStart = 0.0
  /// Y ranges fitted to the 5th–95th percentile on screen (`%`).
  public internal(set) var clipOutliers = false
  /// The inspect cursor's step (nil: off); see `cursorStep`.
  public internal(set) var inspectStep: Int?
  /// What the charts' x axis is (`X`).
  public internal(set) var xAxis = XAxis.step
  /// The chart runs' step → x maps for that axis, kept by `syncXAxisMaps`
  /// so a frame does not rebuild them per chart.
  var xMaps: [String: CachedXAxisMap] = [:]
  /// Log-scale y axes where values allow.
  public internal(set) var logScale = false
  /// The replay position and speed.
  public internal(set) var replay = ReplayClock()
  /// The id of the run replay is paced by.
  public internal(set) var replayRun: String?
  /// The last `.tick` time (Unix seconds).
  public internal(set) var now: Double?
  /// The new-sweep form, while open; `sweepLaunching` while its launch is pending.
  public internal(set) var sweepForm: SweepForm?
  public internal(set) var sweepLaunching = false
  /// A cancel or resume waiting for `y`.
  public internal(set) var confirmation: Confirmation?
  /// A one-line message for the status line (cleared by the next key).
  public internal(set) var notice: String?
  /// Remote hosts whose link is down, and what the status line says about each.
  public internal(set) var connections: [String: String] = [:]
  /// Index into `config.themes` of the theme in use.
  public internal(set) var theme = 0

  /// A dashboard with no runs yet.
  public init(config: DashboardConfig) {
    self.config = config
    width = max(0, config.width)
    height = max(0, config.height)
    mode = config.mode
    metrics = MetricsGrid(columns: config.metricsColumns)
  }

  /// The runs a cancel or resume acts on: the marked ones, else the cursor's run.
  public var actionRuns: [RunEntry] { chartRuns }

  /// The runs the charts show: the marked ones, else the cursor's run.
  public var chartRuns: [RunEntry] {
    if selected.isEmpty { return runList.cursorRuns }
    return runs.filter { selected.contains($0.id) }
  }

  /// How often the app loop should send `.tick` (seconds): often while a
  /// replay plays, else once a second for the clock, so an idle dashboard
  /// sleeps.
  public var tickInterval: Double {
    mode == .replay && replay.playing ? 0.05 : 1
  }

  /// The step charts are cut at: the replay position in replay, else none.
  public var replayStep: Int? {
    mode == .replay ? replay.step : nil
  }
}

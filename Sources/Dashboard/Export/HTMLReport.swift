import RunLog

/// `dpotop report`: one self-contained HTML file of runs — no script, no
/// network, no font to fetch: inline CSS and inline SVG. The runs table,
/// per sweep or directory its charts (the compare view for a sweep), the
/// seed table of `summary --group-seeds`, and each run's token view of one
/// probe. Light or dark as the reader's system prefers, light on paper.
/// Deterministic: no dates, the same runs give the same bytes.
public struct HTMLReport {
  /// Runs loaded (with probes) into a figure state.
  public var state: DashboardState
  /// The same runs read at full precision, for the seed table.
  public var seeds: SeedGroupSummary
  /// The paths given, for the heading.
  public var roots: [String]
  public var light: Theme
  public var dark: Theme

  public init(
    state: DashboardState, seeds: SeedGroupSummary, roots: [String], light: Theme, dark: Theme
  ) {
    self.state = state
    self.seeds = seeds
    self.roots = roots
    self.light = light
    self.dark = dark
  }

  /// Each chart's size in the report, px (scaled to the page by CSS).
  static let chartWidth = 520
  static let chartHeight = 340

  /// The whole page.
  public func html() -> String {
    var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    out += "<title>dpotop report: \(esc(roots.joined(separator: " ")))</title>\n"
    out += "<style>\n" + stylesheet + "</style>\n</head>\n<body>\n"
    out += "<h1>dpotop report</h1>\n"
    let n = state.runs.count
    out +=
      "<p class=\"meta\">\(n) run\(n == 1 ? "" : "s") under \(roots.map { "<code>\(esc($0))</code>" }.joined(separator: ", ")).</p>\n"
    out += runsTable()
    out += charts()
    out += seedTable()
    out += tokenViews()
    return out + "</body>\n</html>\n"
  }

  private func esc(_ s: String) -> String { SVGText.escape(s) }

  // MARK: runs

  private func runsTable() -> String {
    var out = "<h2 id=\"runs\">Runs</h2>\n<div class=\"scroll\"><table>\n<thead><tr>"
    let heads = [
      "run", "objective", "β", "λ", "lr", "seed", "status", "step", "loss",
      "held-out chosen log-ratio (nats)", "held-out task acc.", "margin",
    ]
    out +=
      heads.enumerated().map { k, h in
        k == 0 ? "<th>\(esc(h))</th>" : "<th class=\"num\">\(esc(h))</th>"
      }
      .joined() + "</tr></thead>\n<tbody>\n"
    for group in state.groups {
      out +=
        "<tr class=\"group\"><th colspan=\"\(heads.count)\">\(esc(group.title))"
        + (group.isSweep ? " (sweep)" : "") + "</th></tr>\n"
      for i in group.members {
        let run = state.runs[i]
        let m = run.manifest
        let logRatio =
          run.data.logRatio(.eval)?.lastFinite() ?? run.data.logRatio(.train)?.lastFinite()
        let warn = run.chosenBelowReference ? " class=\"warn\"" : ""
        let cells: [String] = [
          m.name, m.objective ?? "", num(m.beta), num(m.lambda), num(m.learningRate),
          m.seed.map(String.init) ?? "", run.status.rawValue,
          (run.step.map(String.init) ?? "") + (m.plannedSteps.map { "/\($0)" } ?? ""),
          num(run.latest(MetricKey.loss)), num(logRatio),
          num(run.latest(MetricKey.taskAccuracy, .eval)), num(run.latest(MetricKey.rewardsMargins)),
        ]
        out +=
          "<tr\(warn)>"
          + cells.enumerated().map { k, c in
            k == 0 ? "<td>\(esc(c))</td>" : "<td class=\"num\">\(esc(c))</td>"
          }.joined() + "</tr>\n"
      }
    }
    out += "</tbody></table></div>\n"
    out +=
      "<p class=\"note\">Last logged values. Rows in the warning colour: the chosen"
      + " log-probability fell more than \(NumberFormat.compact(RunEntry.warningMarginNats))"
      + " nats below the reference's (DPO's failure mode).</p>\n"
    return out
  }

  private func num(_ v: Double?) -> String { v.map(NumberFormat.compact) ?? "" }

  // MARK: charts

  private func charts() -> String {
    var out = "<h2 id=\"charts\">Charts</h2>\n"
    for (g, group) in state.groups.enumerated() {
      var s = state
      let ids = group.members.map { state.runs[$0].id }
      let compare =
        ids.count > 1 && group.members.allSatisfy { state.runs[$0].manifest.beta != nil }
      s.mark(ids: ids, compare: compare)
      let charts = ChartKind.allCases.map(FigureChart.kind).filter {
        FigureDocument.hasData(s, $0)
      }
      guard !charts.isEmpty else { continue }
      out += "<h3>\(esc(group.title))\(compare ? ": compare view" : "")</h3>\n"
      let cols = min(2, charts.count)
      let rows = (charts.count + cols - 1) / cols
      out += "<figure>\n"
      out += FigureDocument.header(
        width: Double(cols * Self.chartWidth), height: Double(rows * Self.chartHeight),
        paint: .cssVariables)
      out += FigureDocument.body(
        s, charts: charts, width: Self.chartWidth, height: Self.chartHeight, columns: cols,
        paint: .cssVariables, prefix: "g\(g)c")
      out += "</svg>\n"
      out +=
        "<figcaption>\(ids.count) run\(ids.count == 1 ? "" : "s")"
        + (compare
          ? "; colour by β, dash by objective; runs differing only in seed: mean over a min–max band"
          : "") + ".</figcaption>\n</figure>\n"
    }
    return out
  }

  // MARK: seeds

  /// Held-out and training keys the headline seed table shows, when logged.
  static let seedColumns: [(Split, String)] = [
    (.eval, MetricKey.taskAccuracy), (.eval, MetricKey.logpsChosen),
    (.eval, MetricKey.rewardsMargins), (.eval, MetricKey.rewardsAccuracies),
    (.train, MetricKey.loss),
  ]

  private func seedTable() -> String {
    var out = "<h2 id=\"seeds\">Seeds</h2>\n"
    out +=
      "<p class=\"note\">As <code>dpotop summary --group-seeds</code>: runs that differ only in"
      + " seed as one row; mean ± sample sd over seeds of each run's last finite value.</p>\n"
    let columns = Self.seedColumns.filter { col in
      seeds.groups.contains { g in g.rows.contains { $0.split == col.0 && $0.key == col.1 } }
    }
    out += "<div class=\"scroll\"><table>\n<thead><tr><th>group</th><th>n</th><th>seeds</th>"
    out += "<th>objective</th><th>β</th><th>λ</th>"
    out += columns.map { "<th>\(esc(($0.0 == .eval ? "held-out " : "") + $0.1))</th>" }.joined()
    out += "</tr></thead>\n<tbody>\n"
    for g in seeds.groups {
      let m = g.runs.first?.manifest
      var cells = [
        String(g.runs.count),
        g.runs.compactMap { $0.manifest?.seed }.map(String.init).joined(
          separator: ","),
        m?.objective ?? "", num(m?.beta), num(m?.lambda),
      ]
      for col in columns {
        let row = g.rows.first { $0.split == col.0 && $0.key == col.1 }
        cells.append(
          row.map {
            $0.stats.n > 1
              ? NumberFormat.meanSD($0.stats.mean, $0.stats.sd, ascii: false)
              : NumberFormat.short($0.stats.mean)
          } ?? "")
      }
      out += "<tr><td>\(esc(g.name))</td>"
      out += cells.map { "<td class=\"num\">\(esc($0))</td>" }.joined() + "</tr>\n"
    }
    out += "</tbody></table></div>\n"
    return out
  }

  // MARK: tokens

  private func tokenViews() -> String {
    var out = ""
    for run in state.runs where run.probes != nil {
      guard case .success(let record) = TokenFigure.record(run, probe: nil) else { continue }
      if out.isEmpty {
        out = "<h2 id=\"tokens\">Token view</h2>\n"
        out +=
          "<p class=\"note\">Each run's first probe at its latest evaluation: every token coloured"
          + " by Δ = log πθ − log πref; the first difference between chosen and rejected"
          + " reversed.</p>\n"
      }
      let rows = TokenRows(
        record: record, width: TokenFigure.columns, glyphRow: false, ascii: false
      ).rows
      out += "<h3>\(esc(TokenFigure.title(run, record)))</h3>\n"
      out += "<pre class=\"tokens\">" + TokenFigure.rowsHTML(rows) + "</pre>\n"
    }
    return out
  }

  // MARK: style

  private var stylesheet: String {
    """
    :root { \(FigurePaint.declarations(light)) color-scheme: light dark; }
    @media (prefers-color-scheme: dark) { :root { \(FigurePaint.declarations(dark)) } }
    @media print { :root { \(FigurePaint.declarations(light)) --dpo-background:#FFFFFF; }
      figure, table, pre { break-inside: avoid; } h2, h3 { break-after: avoid; }
      .scroll { overflow: visible; } }
    body { background: var(--dpo-background); color: var(--dpo-normal);
      font-family: \(SVGText.sans); max-width: 1100px; margin: 2em auto; padding: 0 1em;
      line-height: 1.4; }
    h1, h2, h3 { color: var(--dpo-title); }
    h3 { font-size: 1.05em; margin-top: 1.6em; }
    code, pre { font-family: \(SVGText.mono); }
    .meta, .note, figcaption { color: var(--dpo-dim); font-size: 0.9em; }
    .scroll { overflow-x: auto; }
    table { border-collapse: collapse; font-size: 0.85em; }
    th, td { padding: 0.2em 0.6em; border-bottom: 1px solid var(--dpo-grid); text-align: left; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    tr.group th { color: var(--dpo-accent); padding-top: 0.8em; }
    tr.warn td { color: var(--dpo-warning); }
    figure { margin: 0.5em 0; }
    figure svg { width: 100%; height: auto; display: block; }
    pre.tokens { font-size: 12px; line-height: 1.45; overflow-x: auto;
      border: 1px solid var(--dpo-grid); padding: 0.6em; }

    """
  }
}

import RunLog

/// The run-detail screen: manifest, latest value of every metric, bad
/// lines and the trainer's log tail, scrolled as one list of lines.
struct DetailScreen {
  let state: DashboardState
  let run: RunEntry

  /// One screen line: segments of text, each with its style.
  typealias Line = [(String, Style)]

  var lines: [Line] {
    let m = run.manifest
    let label = Style(.accent, bold: true)
    var out: [Line] = []
    func field(_ name: String, _ value: String?, _ style: Style = .plain) {
      out.append([
        (name.padding(toLength: 16, withPad: " ", startingAt: 0), label), (value ?? "-", style),
      ])
    }
    func num(_ v: Double?) -> String? { v.map(NumberFormat.compact) }
    field("name", m.name)
    field("path", run.id)
    field("trainer", "\(m.trainer) (\(run.kind))")
    let statusStyle = Style(run.status == .failed || run.error != nil ? .bad : .normal)
    field("status", run.status.rawValue + (m.pid.map { " (pid \($0))" } ?? ""), statusStyle)
    if let job = run.slurmJob {
      // The queue state while queued; after that the run's own status says how it ended.
      field("slurm job", job.id + " (" + (job.state ?? "not in the queue") + ")")
    }
    if let e = m.error { field("error", e, Style(.bad)) }
    if let e = run.error { field("read error", e, Style(.bad)) }
    field("objective", m.objective)
    field(state.config.glyphs == .ascii ? "beta" : "β", num(m.beta))
    field(state.config.glyphs == .ascii ? "lambda" : "λ", num(m.lambda))
    field("learning rate", num(m.learningRate))
    field(
      "steps", "\(run.step.map(String.init) ?? "-") of \(m.plannedSteps.map(String.init) ?? "?")")
    field(
      "batch / seed", "\(m.batchSize.map(String.init) ?? "-") / \(m.seed.map(String.init) ?? "-")")
    if let d = m.dataset {
      var text = d.name
      if let p = d.path { text += " (\(p))" }
      if let n = d.examples { text += ", \(n) pairs" }
      if let n = d.heldOut { text += ", \(n) held out" }
      field("dataset", text)
      field("mean edit dist.", num(d.meanEditDistance))
    } else {
      field("dataset", nil)
    }
    if let md = m.model {
      field(
        "model",
        "\(md.layers) layers, d=\(md.dim), \(md.heads) heads, ctx \(md.context), vocab \(md.vocab),"
          + " \(NumberFormat.compact(Double(md.parameters))) params")
    } else {
      field("model", nil)
    }
    if let r = m.reference { field("reference", r) }
    if let s = m.sweepId { field("sweep", s) }
    for n in run.notes { field("note", n, Style(.dim)) }
    if run.chosenBelowReference {
      out.append([
        ("! chosen log-prob is below the reference (DPO failure mode)", Style(.warning, bold: true))
      ])
    }
    out.append([])
    out.append([
      ("metric".padding(toLength: 28, withPad: " ", startingAt: 0), Style(.title, underline: true)),
      ("train".padding(toLength: 18, withPad: " ", startingAt: 0), Style(.title, underline: true)),
      ("eval", Style(.title, underline: true)),
    ])
    var keys = run.data.keys[.train] ?? []
    for k in run.data.keys[.eval] ?? [] where !keys.contains(k) { keys.append(k) }
    for k in keys {
      func latest(_ split: Split) -> String {
        guard let s = run.data.series[SeriesID(k, split)], let step = s.points.lastStep else {
          return ""
        }
        let v = s.points.last.map(NumberFormat.compact) ?? "-"
        return "\(v) @\(NumberFormat.step(step))"
      }
      let name = SafeText(k, limit: 28).truncated(to: 27).displayString
      out.append([
        (name + String(repeating: " ", count: max(1, 28 - SafeText(name).width)), .plain),
        (latest(.train).padding(toLength: 18, withPad: " ", startingAt: 0), .plain),
        (latest(.eval), .plain),
      ])
    }
    if keys.isEmpty { out.append([("no metrics yet", Style(.dim))]) }
    out.append([])
    out.append([
      ("bad lines: \(run.badCount)", Style(run.badCount > 0 ? .warning : .title, bold: true))
    ])
    for b in run.recentBad.suffix(10) { out.append([("  " + b.description, Style(.warning))]) }
    out.append([])
    out.append([("log tail", Style(.title, bold: true))])
    if run.logTail.isEmpty { out.append([("  (no log lines)", Style(.dim))]) }
    for l in run.logTail { out.append([("  " + l, .plain)]) }
    return out
  }

  func render(in rect: Rect, into grid: inout CellGrid) {
    let ascii = state.config.glyphs == .ascii
    grid.box(rect, style: Style(.borderFocused), ascii: ascii)
    grid.put(
      "run " + run.manifest.name, x: rect.x + 1, y: rect.y, maxWidth: rect.width - 2,
      style: Style(.title, bold: true))
    let inner = rect.inset(by: 1)
    guard !inner.isEmpty else { return }
    let all = lines
    let first = min(state.detailScroll, max(0, all.count - inner.height))
    for (i, line) in all.dropFirst(first).prefix(inner.height).enumerated() {
      var x = inner.x
      for (text, style) in line {
        x += grid.put(text, x: x, y: inner.y + i, maxWidth: inner.maxX - x, style: style)
      }
    }
  }
}

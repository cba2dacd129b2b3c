import RunLog
import Testing

@testable import Dashboard

/// Issue 19: the runs list as a person reads a sweep — grouped under sweep
/// headers with progress, β and λ always shown, names only where they add,
/// collapsible groups, a filter on settings, and seeds as one line with a
/// band in the compare view.
@Suite struct SweepGroupsTests {
  /// A sweep run as `dpotop sweep` writes it.
  static func sweepRun(
    _ sweep: String, _ objective: String, _ beta: Double, seed: Int, status: RunStatus = .finished
  ) -> (id: String, manifest: RunManifest) {
    let name = "\(objective)-b\(beta)-s\(seed)"
    var m = Fixtures.manifest(
      name, objective: objective, beta: beta, lambda: objective == "dpop" ? 50 : nil,
      status: status)
    m.seed = seed
    m.sweepId = sweep + "-1795645529"
    m.sweepAxes = ["objective": objective, "beta": "\(beta)", "seed": "\(seed)"]
    return ("runs/\(sweep)/\(name)", m)
  }

  /// `beta-sweep` (DPO/DPOP × β 0.1, 0.3 × seeds 1–3; two DPOP β = 0.3 runs
  /// still running), `high-edit` (DPO/DPOP at β 0.1, seed 1: the same names
  /// as in beta-sweep), and two runs outside any sweep: a TRL run whose name
  /// does not spell its β and a long hand-made name.
  static func state(width: Int, height: Int, glyphs: GlyphMode = .braille) -> DashboardState {
    var runs: [(String, RunManifest, SeriesStore)] = []
    for objective in ["dpo", "dpop"] {
      for beta in [0.1, 0.3] {
        for seed in 1...3 {
          let running = objective == "dpop" && beta == 0.3 && seed > 1
          let (id, m) = sweepRun(
            "beta-sweep", objective, beta, seed: seed, status: running ? .running : .finished)
          // Seeds spread the drift: the band has a width.
          let drift = (objective == "dpo" ? -0.1 : 0.01) * (1 + 0.25 * Double(seed - 2)) * beta * 5
          runs.append((id, m, withHeldOut(steps: running ? 60 : 100, beta: beta, drift: drift)))
        }
      }
    }
    for objective in ["dpo", "dpop"] {
      let (id, m) = sweepRun("high-edit", objective, 0.1, seed: 1)
      runs.append((id, m, Fixtures.store(steps: 100, drift: objective == "dpo" ? -0.2 : 0.01)))
    }
    var trl = Fixtures.manifest("checkpoint-run-7", beta: 0.05)
    trl.trainer = "trl"
    trl.seed = nil
    runs.append(("imported/checkpoint-run-7", trl, Fixtures.store(steps: 100, drift: -0.05)))
    let long = Fixtures.manifest("ablation-with-a-very-long-descriptive-name-seed-7")
    runs.append(("imported/" + long.name, long, Fixtures.store(steps: 100)))
    var config = DashboardConfig(glyphs: glyphs)
    config.width = width
    config.height = height
    var s = DashboardState(config: config)
    for (id, m, store) in runs {
      _ = update(&s, .runUpdated(id: id, kind: "dpotop", manifest: m))
      _ = update(&s, .metrics(id: id, delta: store, reset: false, badCount: 0, recentBad: []))
    }
    _ = update(&s, .tick(now: 1_700_000_000 + 3723))
    return s
  }

  /// `Fixtures.store` plus held-out log-probs every 10 steps (the chosen
  /// one drifting a little less than on the training batches).
  static func withHeldOut(steps: Int, beta: Double, drift: Double) -> SeriesStore {
    var s = SeriesStore()
    // Records in step order: a chunk of training steps, then the evaluation.
    for start in stride(from: 0, to: steps, by: 10) {
      s.merge(Fixtures.store(steps: min(10, steps - start), beta: beta, drift: drift, from: start))
      let step = min(steps, start + 10) - 1
      let x = Double(step)
      s.append(
        MetricRecord(
          step: step, time: 1_700_000_000 + 2 * x, split: .eval,
          values: [
            (MetricKey.logpsChosen, -20 + 0.8 * drift * x), (MetricKey.logpsRefChosen, -20),
          ]))
    }
    return s
  }

  static func rows(_ g: CellGrid) -> [String] {
    g.plainText.split(separator: "\n").map(String.init)
  }

  /// The text of screen rows that hold `needle`.
  static func lines(_ g: CellGrid, _ needle: String) -> [String] {
    rows(g).filter { $0.contains(needle) }
  }

  @Test func groupsHaveOneHeaderEachWithProgress() {
    let s = Self.state(width: 200, height: 50)
    #expect(s.groups.map(\.title) == ["runs/beta-sweep", "runs/high-edit", "imported"])
    #expect(s.groups.map(\.isSweep) == [true, true, false])
    #expect(s.runList.progress(of: 0) == "12 runs: 10 finished, 2 running")
    #expect(s.runList.progress(of: 1) == "2 runs: 2 finished")
    let headers = s.rows.compactMap { row -> Int? in
      if case .header(let g) = row { return g }
      return nil
    }
    #expect(headers == [0, 1, 2])
    #expect(s.rows.count == 3 + 16)
    let g = render(s)
    #expect(Self.lines(g, "▾ runs/beta-sweep  12 runs: 10 finished, 2 running").count == 1)
    #expect(Self.lines(g, "▾ imported/  2 runs: 2 finished").count == 1)
  }

  /// β and λ are columns at every width, from the manifest: the TRL run's
  /// name does not spell its β; the sweep's names say nothing the obj, β
  /// and seed columns do not, so they are left out.
  @Test(arguments: [(80, 40), (120, 40), (200, 50)])
  func betaAndLambdaAtEveryWidth(width: Int, height: Int) {
    var s = Self.state(width: width, height: height)
    // Down to the runs outside any sweep, so they are on screen at 80 columns too.
    _ = update(&s, .key(.char("G")))
    let g = render(s)
    expectAlignedAndClean(g)
    let header = Self.lines(g, " name ").first ?? ""
    #expect(header.contains(" β ") || header.contains(" β│"), "\(width): \(header)")
    #expect(header.contains(" λ "), "\(width): \(header)")
    let trl = Self.lines(g, "un-7 ").first ?? ""
    #expect(trl.contains(" 0.05 "), "\(width): the TRL run's β: \(trl)")
    // The long name keeps its end (where runs differ) when it is cut.
    let long = Self.lines(g, "ed-7 ").first ?? ""
    #expect(long.contains("abl"), "\(width): \(long)")
    var top = Self.state(width: width, height: height)
    _ = update(&top, .key(.char("g")))
    let first = render(top)
    // The first sweep row: no name (obj, β and seed say it), then its settings.
    let paneWidth = Layout(top).runs.width
    let run =
      Self.rows(first).map { String($0.prefix(paneWidth)) }.first {
        $0.contains(" dpo ") && $0.contains("0.1")
      } ?? ""
    #expect(!run.contains("dpo-b0.1"), "\(width): \(run)")
    expectSnapshot(first, "sweep-groups-\(width)x\(height)")
  }

  @Test func namesFromThreeSweepsAreToldApartByTheirHeaders() {
    let s = Self.state(width: 120, height: 40)
    let sameName = s.runs.filter { $0.manifest.name == "dpo-b0.1-s1" }
    #expect(sameName.count == 2)
    #expect(Set(sameName.map { s.runList.groupOfRun[s.runList.runIndex[$0.id] ?? 0] }).count == 2)
  }

  @Test func filterMatchesSettingsSweepsAndWords() {
    var s = Self.state(width: 120, height: 40)
    func filter(_ text: String) -> [String] {
      _ = update(&s, .key(.escape))
      _ = update(&s, .key(.char("/")))
      for c in text { _ = update(&s, .key(.char(c))) }
      _ = update(&s, .key(.enter))
      return s.visible.map { s.runs[$0].id }
    }
    #expect(
      filter("beta=0.3 dpop") == [
        "runs/beta-sweep/dpop-b0.3-s1", "runs/beta-sweep/dpop-b0.3-s2",
        "runs/beta-sweep/dpop-b0.3-s3",
      ])
    #expect(filter("b=0.1 seed=2").count == 2)
    #expect(filter("β=0.05") == ["imported/checkpoint-run-7"])
    #expect(filter("lambda=50").count == 7)
    #expect(filter("high-edit").count == 2)
    #expect(filter("objective=dpop high").map { $0 } == ["runs/high-edit/dpop-b0.1-s1"])
    #expect(filter("beta=0.30").count == 6, "numbers compare as numbers")
    #expect(filter("beta=zero").isEmpty)
    // Headers only for groups with a run left.
    _ = filter("high-edit")
    #expect(s.rows.first == .header(1) && s.rows.count == 3)
    let g = render(s)
    #expect(g.plainText.contains("runs 2/16  /high-edit"))
  }

  @Test func collapsingGroupsWithOAndEnter() {
    var s = Self.state(width: 120, height: 40)
    #expect(s.cursor == 0 && s.rows[0] == .header(0))
    // On a header the charts show the group's runs.
    #expect(s.chartRuns.count == 12)
    _ = update(&s, .key(.char("o")))
    #expect(s.collapsed == [s.groups[0].key])
    #expect(s.rows.prefix(2) == [.header(0), .header(1)])
    #expect(Self.lines(render(s), "▸ runs/beta-sweep").count == 1)
    // Enter on a header opens it again.
    _ = update(&s, .key(.enter))
    #expect(s.collapsed.isEmpty && s.rows[1] == .run(0))
    // o on a run collapses its group, the cursor goes to the header.
    _ = update(&s, .key(.down))
    _ = update(&s, .key(.down))
    _ = update(&s, .key(.char("o")))
    #expect(s.cursor == 0 && s.rows[1] == .header(1))
    // O collapses every group; again, expands them all.
    _ = update(&s, .key(.char("O")))
    #expect(s.rows == [.header(0), .header(1), .header(2)])
    _ = update(&s, .key(.char("O")))
    #expect(s.rows.count == 19)
    // m on a header marks the group's runs.
    _ = update(&s, .key(.char("m")))
    #expect(s.selected.count == 12)
    _ = update(&s, .key(.char("m")))
    #expect(s.selected.isEmpty)
  }

  @Test func helpListsTheCollapseKeyAndTheAlarm() {
    let text = HelpOverlay.keys.map { $0.0 + " " + $0.1 }.joined(separator: "\n")
    #expect(text.contains("o / O"))
    #expect(text.contains("below ref (train batches)"))
  }

  /// The compare view: runs that differ only in seed are one line, mean ±
  /// sd and n in the table, one chart line over a min–max band.
  @Test(arguments: [(80, 40), (120, 40), (200, 50)])
  func seedBandsInTheCompareView(width: Int, height: Int) {
    var s = Self.state(width: width, height: height)
    _ = update(&s, .key(.char("C")))
    _ = update(&s, .key(.char("m")))  // on the beta-sweep header: its 12 runs
    #expect(s.selected.count == 12)
    let seedRows = s.rows.filter {
      if case .seeds(let list) = $0 { return list.count == 3 }
      return false
    }
    #expect(seedRows.count == 4)
    let g = render(s)
    expectAlignedAndClean(g)
    expectSnapshot(g, "seed-bands-\(width)x\(height)")
    let text = g.plainText
    #expect(text.contains("±"))
    let model = ChartKind.chosenLogRatio.model(s)
    #expect(model.legend.contains { $0.band && $0.label == "min-max, 3 seeds" })
    if width >= 200 { #expect(text.contains("min-max, 3 seeds")) }
    #expect(model.bands.count == 4)
    #expect(model.lines.count == 4)
    #expect(model.notes.contains("held-out"))
  }

  @Test func seedBandsInAsciiUseTheirOwnGlyph() {
    var s = Self.state(width: 200, height: 50, glyphs: .ascii)
    _ = update(&s, .key(.char("C")))
    _ = update(&s, .key(.char("m")))
    let g = render(s)
    expectSnapshot(g, "seed-bands-ascii-200x50")
    #expect(g.plainText.contains("+-"))
    #expect(g.plainText.contains(":::"), "the band's fill")
    #expect(!g.plainText.contains("±"))
  }

  @Test func seedLineTableValuesAreMeanAndSampleSD() {
    var s = Self.state(width: 200, height: 50)
    _ = update(&s, .key(.char("C")))
    _ = update(&s, .key(.char("m")))
    // dpo β = 0.1: margins at step 99 are β·(chosen+20 − rejected−25) per seed.
    let margins = [1, 2, 3].map { seed -> Double in
      let drift = -0.1 * (1 + 0.25 * Double(seed - 2)) * 0.5
      return 0.1 * (drift * 99 + 0.3 * 99)
    }
    guard let stats = SeedStats(margins) else {
      Issue.record("no statistics")
      return
    }
    let want = NumberFormat.meanSD(stats.mean, stats.sd, ascii: false)
    let row = Self.lines(render(s), want)
    #expect(row.count == 1, "the dpo β=0.1 line shows margin \(want)")
  }

  @Test func heldOutIsDrawnOverTrain() {
    var s = Self.state(width: 200, height: 50)
    _ = update(&s, .key(.down))
    for kind in [ChartKind.chosenLogRatio, .loss, .accuracy] {
      let model = kind.model(s)
      let run = s.cursorRun?.data
      let eval: PlotSeries? =
        switch kind {
        case .chosenLogRatio: run?.logRatio(.eval)
        case .loss: run?.plot(SeriesID(MetricKey.loss, .eval))
        default: run?.plot(SeriesID(MetricKey.taskAccuracy, .eval))
        }
      #expect(model.lines.last?.data == eval, "\(kind): held-out is the last line drawn")
    }
  }

  /// 10 000 runs in 500 sweeps arriving one by one stay cheap to add
  /// (appending, not rebuilding the list each time) and group correctly.
  @Test func tenThousandRunsInFiveHundredSweeps() {
    var s = DashboardState(config: DashboardConfig(width: 200, height: 60))
    for r in 0..<10_000 {
      let (id, m) = Self.sweepRun("s\(r / 20)", r % 2 == 0 ? "dpo" : "dpop", 0.1, seed: r % 20)
      _ = update(&s, .runUpdated(id: id, kind: "dpotop", manifest: m))
    }
    #expect(s.groups.count == 500)
    #expect(s.rows.count == 10_500)
    #expect(s.groups.allSatisfy { $0.members.count == 20 })
    _ = update(&s, .key(.char("O")))
    #expect(s.rows.count == 500)
  }
}

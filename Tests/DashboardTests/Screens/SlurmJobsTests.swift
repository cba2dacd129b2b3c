import RunLog
import Sweeps
import Testing

@testable import Dashboard

/// Runs of a Slurm sweep: job ids and queue states in the runs pane and the
/// detail screen; the form's backend and sbatch options.
@Suite struct SlurmJobsTests {
  /// Three runs of a Slurm sweep (pending, running, finished and gone from
  /// the queue) and one run outside any sweep.
  static func slurmState(width: Int, height: Int) -> DashboardState {
    var s = Fixtures.state(
      [
        (Fixtures.manifest("dpo-b0.1-s1", status: .finished), Fixtures.store(steps: 100)),
        (Fixtures.manifest("dpo-b0.3-s1", beta: 0.3, status: .running), Fixtures.store(steps: 40)),
        (
          Fixtures.manifest("dpop-b0.1-s1", objective: "dpop", lambda: 50, status: .queued),
          SeriesStore()
        ),
        (Fixtures.manifest("solo"), Fixtures.store(steps: 100)),
      ], width: width, height: height)
    _ = update(
      &s,
      .slurmJobs([
        "runs/dpo-b0.1-s1": SlurmJob(id: "1041"),
        "runs/dpo-b0.3-s1": SlurmJob(id: "1042", state: "RUNNING"),
        "runs/dpop-b0.1-s1": SlurmJob(id: "1043", state: "PENDING"),
        "runs/not-seen-yet": SlurmJob(id: "1044", state: "PENDING"),
      ]))
    return s
  }

  /// The first screen row holding `text`.
  static func row(_ grid: CellGrid, _ text: String) -> String {
    grid.plainText.split(separator: "\n").first { $0.contains(text) }.map(String.init) ?? ""
  }

  @Test func wideRunsPaneShowsEachJobIdAndItsQueueState() {
    let s = Self.slurmState(width: 200, height: 20)
    #expect(s.run("runs/dpo-b0.3-s1")?.slurmJob == SlurmJob(id: "1042", state: "RUNNING"))
    #expect(s.run("runs/solo")?.slurmJob == nil)
    #expect(s.runs.count == 4, "a job for an unknown run adds no run")
    let g = render(s)
    expectSnapshot(g, "runs-slurm-jobs")
    #expect(Self.row(g, " dpop-b0.1").contains("50 queued    -/100 1043 PD "))
    #expect(Self.row(g, "dpo-b0.3").contains("- running  39/100 1042 R "))
    #expect(Self.row(g, "dpo-b0.1").contains("- finished 99/100 1041 "))
    #expect(
      Self.row(g, "solo ").contains("- finished 99/100          0.116"),
      "no job outside the sweep")
  }

  /// Issue 19: names get room before the job, loss and bad-line columns;
  /// β, λ, status and step stay.
  @Test func narrowPanesGiveNamesRoomBeforeTheJobAndLoss() {
    let g = render(Self.slurmState(width: 120, height: 20))
    let header = Self.row(g, " name ")
    #expect(header.contains("β   λ status     step│"), "the 48-column pane: \(header)")
    #expect(Self.row(g, "dpop-b0.1-s1").contains("0.1  50 queued    -/100│"))
    #expect(!g.plainText.contains("1043"))
    expectAlignedAndClean(g)
    let tiny = render(Self.slurmState(width: 40, height: 20))
    #expect(Self.row(tiny, "dpop-b0.1").contains("queued"))
    #expect(!tiny.plainText.contains("1043"), "40 columns keep status and step first")
    expectAlignedAndClean(tiny)
  }

  @Test func noJobColumnWithoutSlurmRuns() {
    let g = render(Fixtures.twoRuns(width: 200, height: 20))
    #expect(!g.plainText.contains(" job "))
  }

  @Test func detailShowsTheJobAndItsState() {
    var s = Self.slurmState(width: 100, height: 30)
    _ = update(&s, .key(.down))
    _ = update(&s, .key(.down))  // dpop-b0.1-s1, pending
    _ = update(&s, .key(.enter))
    let g = render(s)
    expectSnapshot(g, "detail-slurm-pending")
    #expect(g.plainText.contains("status          queued"))
    #expect(g.plainText.contains("slurm job       1043 (PENDING)"))
    _ = update(
      &s, .slurmJobs(["runs/dpop-b0.1-s1": SlurmJob(id: "1043")]))
    #expect(render(s).plainText.contains("slurm job       1043 (not in the queue)"))
    _ = update(&s, .key(.escape))
    _ = update(&s, .key(.char("G")))  // solo
    _ = update(&s, .key(.enter))
    #expect(!render(s).plainText.contains("slurm job"))
  }

  @Test func formWithBackendSlurmAndSbatchOptions() {
    var s = Fixtures.twoRuns(width: 100, height: 30)
    _ = update(&s, .key(.char("n")))
    for _ in 0..<9 { _ = update(&s, .key(.tab)) }  // backend
    #expect(s.sweepForm?.focusedField == .backend)
    _ = update(&s, .key(.ctrl("u")))
    SweepFormScreenTests.type(&s, "slurm")
    _ = update(&s, .key(.tab))
    SweepFormScreenTests.type(&s, #"--partition=debug --comment "beta sweep""#)
    let g = render(s)
    expectSnapshot(g, "sweep-form-slurm")
    #expect(g.plainText.contains("new sweep (slurm)"))
    #expect(g.plainText.contains(#"slurm args   --partition=debug --comment "beta sweep"_"#))
    #expect(g.plainText.contains("sbatch options, e.g. --partition=gpu"))
    let fx = update(&s, .key(.enter))
    #expect(
      fx == [
        .launchSweep(
          SweepLaunch(backend: .slurm, slurmArgs: ["--partition=debug", "--comment", "beta sweep"]))
      ])
    _ = update(
      &s, .sweepLaunchFailed(message: "sbatch: command not found; 0 of 6 runs were submitted"))
    #expect(render(s).plainText.contains("sbatch: command not found; 0 of 6"))
  }
}

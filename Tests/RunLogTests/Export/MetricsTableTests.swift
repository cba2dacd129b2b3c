import Foundation
import Testing

@testable import RunLog

/// `dpotop export metrics`: every value written reads back to the same
/// double, non-finite values as pandas spells them, same bytes every time.
@Suite struct MetricsTableTests {
  static let hard: [Double] = [
    0.1, 1.0 / 3, -2.5e-7, 1e16, 123_456_789.123_456_78, 5e-324, .greatestFiniteMagnitude,
    -0.0, 0.6931471805599453, .nan, .infinity, -.infinity,
  ]

  static func store(_ values: [Double]) -> SeriesStore {
    var store = SeriesStore()
    for (i, v) in values.enumerated() {
      store.beginRecord(split: .train, step: i, time: 1_765_000_000.125 + Double(i))
      store.append(key: "loss", split: .train, step: i, value: v)
      store.countRecord()
    }
    store.append(key: "task_accuracy", split: .eval, step: 0, value: 0.96875)
    return store
  }

  /// Parses our own CSV (no quoted fields here).
  static func rows(_ csv: String) -> [[String]] {
    csv.split(separator: "\n").dropFirst().map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
  }

  static func same(_ a: Double, _ b: Double) -> Bool {
    a.isNaN ? b.isNaN : a.bitPattern == b.bitPattern
  }

  @Test func longCSVRoundTripsEveryDouble() {
    let csv = MetricsTable([.init(name: "r", store: Self.store(Self.hard))]).longCSV()
    let rows = Self.rows(csv)
    #expect(rows.count == Self.hard.count + 1)
    for (row, v) in zip(rows, Self.hard) {
      #expect(row.count == 6)
      #expect(row[1] == "train" && row[4] == "loss")
      #expect(Self.same(Double(row[5]) ?? 42, v), "\(row[5]) is not \(v)")
    }
    #expect(rows[0][3] == "1765000000.125")
    #expect(csv.contains(",nan\n") && csv.contains(",inf\n") && csv.contains(",-inf\n"))
    #expect(rows.last == ["r", "eval", "0", "", "task_accuracy", "0.96875"])
  }

  @Test func wideCSVHasOneRowPerRunAndStep() {
    let csv = MetricsTable([.init(name: "a,b", store: Self.store([1, 2]))]).wideCSV()
    let lines = csv.split(separator: "\n").map(String.init)
    #expect(lines[0] == "run,step,time,loss,eval_time,eval_task_accuracy")
    #expect(lines[1] == "\"a,b\",0,1765000000.125,1.0,,0.96875")
    #expect(lines[2] == "\"a,b\",1,1765000001.125,2.0,,")
  }

  @Test func jsonSpellsNonFiniteAsPythonReadsIt() {
    let json = MetricsTable([.init(name: "r", store: Self.store([.nan, -.infinity]))]).longJSON()
    #expect(json.contains("\"value\":NaN"))
    #expect(json.contains("\"value\":-Infinity"))
    #expect(json.contains("\"time\":null"))
  }

  @Test func sampleSweepRoundTripsAndIsDeterministic() throws {
    let sweep = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("sample-runs/beta-sweep").path
    let runs = try LoadedRun.loadAll(under: sweep).map {
      MetricsTable.Run(name: $0.run.path, store: $0.run.store)
    }
    let csv = MetricsTable(runs).longCSV()
    #expect(csv == MetricsTable(runs).longCSV())
    var count = 0
    var byRun: [String: SeriesStore] = [:]
    for run in runs { byRun[run.name] = run.store }
    for row in Self.rows(csv) {
      let split = Split(rawValue: row[1]) ?? .train
      let s = try #require(byRun[row[0]]?.series(row[4], split))
      let i = s.firstIndex(atOrAfter: Int(row[2]) ?? -1)
      #expect(Self.same(Double(row[5]) ?? 42, s.values[i]))
      count += 1
    }
    let total = runs.reduce(0) { acc, r in
      acc
        + Split.allCases.reduce(0) { a, sp in
          a + r.store.keys(sp).reduce(0) { $0 + (r.store.series($1, sp)?.count ?? 0) }
        }
    }
    #expect(count == total && count > 1000)
  }
}

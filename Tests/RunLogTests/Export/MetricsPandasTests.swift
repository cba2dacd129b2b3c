import Foundation
import Testing

@testable import RunLog

/// pandas (the peer venv's, as WandbPeer finds it) reads `export metrics`
/// CSV and JSON back to the same doubles, NaN and infinities included.
/// JSON goes through Python's json module: pandas' own `read_json` is off
/// by an ulp for some values by default (seen here: 1/3, 5e-324, ln 2) and
/// with `precise_float=True` refuses the subnormal 5e-324.
enum PandasPeer {
  static let available: Bool = {
    guard let pid = try? WandbPeer.spawn(["-c", "import pandas"], log: "/dev/null") else {
      return false
    }
    return WandbPeer.wait(pid) == 0
  }()

  static let skipReason = Comment(
    rawValue: "SKIPPED: pandas is not importable by \(WandbPeer.python); install it with: "
      + "bash scripts/peer-venv.sh pandas (or set DPOTOP_PYTHON)")

  /// Prints each value's IEEE bit pattern (or "nan") as pandas read it.
  static let script = """
    import json, sys, struct, pandas as pd
    path, kind = sys.argv[1], sys.argv[2]
    df = pd.read_csv(path) if kind == "csv" else pd.DataFrame(json.load(open(path)))
    assert list(df.columns) == ["run", "split", "step", "time", "key", "value"], list(df.columns)
    for v in df["value"]:
        v = float(v)
        print("nan" if v != v else struct.unpack("<Q", struct.pack("<d", v))[0])
    """
}

@Suite struct MetricsPandasTests {
  @Test(.enabled(if: PandasPeer.available, PandasPeer.skipReason), arguments: ["csv", "json"])
  func pandasReadsTheSameDoubles(kind: String) throws {
    let table = MetricsTable([
      .init(name: "r", store: MetricsTableTests.store(MetricsTableTests.hard))
    ])
    let dir = NSTemporaryDirectory() + "dpotop-pandas-\(getpid())-\(kind)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let data = dir + "/metrics." + kind
    try (kind == "csv" ? table.longCSV() : table.longJSON()).write(
      toFile: data, atomically: true, encoding: .utf8)
    try PandasPeer.script.write(toFile: dir + "/read.py", atomically: true, encoding: .utf8)
    let log = dir + "/out.txt"
    let pid = try WandbPeer.spawn([dir + "/read.py", data, kind], log: log)
    let status = WandbPeer.wait(pid)
    let out = try String(contentsOfFile: log, encoding: .utf8)
    #expect(status == 0, "pandas failed: \(out)")
    let read = out.split(separator: "\n").map(String.init)
    let expected =
      MetricsTableTests.hard.map { $0.isNaN ? "nan" : String($0.bitPattern) } + [
        String(0.96875.bitPattern)
      ]
    #expect(read == expected)
  }
}

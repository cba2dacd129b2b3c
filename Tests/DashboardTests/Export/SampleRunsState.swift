import Foundation
import RunLog

@testable import Dashboard

/// The shipped sample runs loaded into a figure state, as `dpotop plot`
/// and `report` load them.
enum SampleRuns {
  /// `sample-runs/SUB` in this checkout.
  static func path(_ sub: String = "") -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("sample-runs/" + sub).path
  }

  /// Every run under `sample-runs/SUB`, with probes.
  static func state(_ sub: String = "") throws -> DashboardState {
    var state = DashboardState.forFigures()
    for (run, _) in try LoadedRun.loadAll(under: path(sub)) {
      guard let m = run.manifest else { continue }
      state.addRun(id: run.path, kind: "dpotop", manifest: m, store: run.store)
      let reader = ProbesReader(run: RunDirectory(path: run.path))
      _ = try? reader.poll()
      if !reader.log.records.isEmpty { state.addProbes(id: run.path, log: reader.log) }
    }
    return state
  }

  /// Occurrences of `needle` in `text`.
  static func count(_ needle: String, in text: String) -> Int {
    text.components(separatedBy: needle).count - 1
  }
}

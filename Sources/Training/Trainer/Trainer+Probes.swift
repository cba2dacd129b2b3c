import Foundation
import RunLog

extension Trainer {
  /// Opens `probes.jsonl` for appending when this run writes probes (a
  /// preference objective with `probes` > 0); a resumed run first drops the
  /// probes of evaluations its checkpoint does not hold, as it does metrics.
  func openProbes(resumedAt first: Int) throws(TrainingError) -> MetricsWriter? {
    let path = directory.probesPath
    if first > 1 || startsOver { try trimLines(path, after: startsOver ? -1 : first - 1) }
    guard config.objective.isPreference, config.probes > 0 else { return nil }
    do { return try MetricsWriter(path: path) } catch {
      throw TrainingError(.writeFailed(path: path, reason: error.description))
    }
  }

  /// Appends the probes of the evaluation at `step`, one write per line (a
  /// reader never sees half a probe).
  func writeProbes(_ records: [ProbeRecord], step: Int, to writer: MetricsWriter?)
    throws(TrainingError)
  {
    guard let writer else { return }
    for var record in records {
      record.step = step
      let line = ProbeLineEncoder.line(record)
      try wrap(writer.path) { try writer.appendRaw(line) }
    }
  }
}

import Foundation
import KernelSupport
import RunLog

extension Trainer {
  /// Runs the loop to the planned step, a stop request or a failure, and
  /// returns the status written to the manifest.
  ///
  /// A write that fails once the run has started (a full disk, a file size
  /// limit) stops it: the run is marked failed with the cause, the last
  /// good checkpoint stays (checkpoints are replaced atomically), and every
  /// complete metrics record stays readable. `--resume` continues from that
  /// checkpoint once there is room again.
  @discardableResult
  public func run() throws(TrainingError) -> RunStatus {
    var manifest: RunManifest?
    do {
      return try loop(&manifest)
    } catch {
      guard case .writeFailed = error.kind, var m = manifest else { throw error }
      m.status = .failed
      m.error = error.description
      m.updatedAt = Date().timeIntervalSince1970
      let saved = (try? directory.writeFinalManifest(m)) != nil
      let kept = Self.checkpointStep(latestPath).map { "step \($0) in \(latestPath)" }
      log("failed: \(error.description)")
      throw TrainingError(
        error.kind,
        hint: (saved ? "the run is marked failed; " : "run.json could not be updated either; ")
          + (kept.map { "the last good checkpoint is kept (\($0)); " }
            ?? "no checkpoint had been written yet; ")
          + "complete metrics records are kept. Free space, then: dpotop resume \(directory.path)")
    }
  }

  /// The step of the checkpoint at `path`, if it is there and readable.
  static func checkpointStep(_ path: String) -> Int? {
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    return (try? Checkpoint.read(from: path))?.header.step
  }

  private func loop(_ written: inout RunManifest?) throws(TrainingError) -> RunStatus {
    try wrap(directory.path) { try directory.create() }
    try wrap(directory.checkpointsPath) {
      try RunDirectory(path: directory.checkpointsPath).create()
    }
    let began0 = Date()
    let lock = try RunLock.take(directory)
    defer { withExtendedLifetime(lock) {} }
    var manifest = makeManifest()
    try writeManifest(manifest)
    written = manifest
    let n = model.parameterCount
    let m = FloatBuffer(count: n)
    let v = FloatBuffer(count: n)
    var first = 1
    if resume, let start {
      guard start.header.hasOptimizerState else {
        throw TrainingError(.badCheckpoint(path: latestPath, reason: "has no optimiser state"))
      }
      m.load(start.firstMoments)
      v.load(start.secondMoments)
      first = start.header.step + 1
      try trimMetrics(after: start.header.step)
    } else if startsOver {
      log("no checkpoint yet: starting over from step 0")
      try trimMetrics(after: -1)
    }
    let writer: MetricsWriter
    do { writer = try MetricsWriter(path: directory.metricsPath) } catch {
      throw TrainingError(.writeFailed(path: directory.metricsPath, reason: error.description))
    }
    let probes = try openProbes(resumedAt: first)
    let decay = model.decayMask
    let adam = AdamWConfig(weightDecay: Float(config.weightDecay), clipNorm: Float(config.clipNorm))
    log(
      "\(config.objective.rawValue): \(model.parameterCount) parameters, "
        + "\(describe(model.config)), data \(datasetInfo.name) "
        + "(\(datasetInfo.examples ?? 0) train, \(datasetInfo.heldOut ?? 0) held-out"
        + (datasetInfo.meanEditDistance.map { ", mean normalised edit distance \(fmt($0))" } ?? "")
        + ")"
        + (first > 1 ? ", resuming at step \(first)" : ""))
    if first == 1 { try evaluate(step: 0, writer: writer, probes: probes) }
    var step = first
    while step <= config.steps {
      let began = Date()
      model.zeroGradients()
      let result = stepper.step(step, model: model)
      let norm = prof(.gradientNorm) { gradientNorm(model.grads.base, count: n, kernels: model.k) }
      guard result.loss.isFinite, norm.isFinite else {
        let what = result.loss.isFinite ? "gradient norm" : "loss"
        let failure = TrainingError(.nonFinite(step: step, what: what))
        try? append(
          writer,
          MetricRecord(
            step: step, time: Date().timeIntervalSince1970,
            values: [(MetricKey.loss, result.loss), (MetricKey.gradNorm, norm)]))
        manifest.status = .failed
        manifest.error = failure.description
        manifest.updatedAt = Date().timeIntervalSince1970
        try writeManifest(manifest)
        log("failed: \(failure.description)")
        return .failed
      }
      let lr = config.learningRate(at: step)
      prof(.adamW) {
        decay.withUnsafeBufferPointer { mask in
          adamWUpdate(
            params: model.params.base, grads: model.grads.base, m: m.base, v: v.base,
            decay: mask.baseAddress!, count: n, step: step, lr: Float(lr),
            clipScale: clipScale(norm: norm, clipNorm: adam.clipNorm), config: adam,
            kernels: model.k, threads: config.threads)
        }
      }
      let seconds = max(Date().timeIntervalSince(began), 1e-9)
      StepProfile.addStep(seconds: seconds)
      var values: [(String, Double)] = [(MetricKey.loss, result.loss)]
      values += result.metrics
      values += [
        (MetricKey.gradNorm, norm), (MetricKey.learningRate, lr),
        (MetricKey.tokensPerSecond, Double(result.tokens) / seconds),
      ]
      try append(
        writer, MetricRecord(step: step, time: Date().timeIntervalSince1970, values: values))
      if step % 10 == 0 || step == config.steps {
        log(
          "step \(step)/\(config.steps) loss \(fmt(result.loss)) grad_norm \(fmt(norm)) "
            + "lr \(fmt(lr)) tok/s \(Int(Double(result.tokens) / seconds))")
      }
      if step % config.evalEvery == 0 || step == config.steps {
        try evaluate(step: step, writer: writer, probes: probes)
      }
      let stopping = stop.isRaised
      if stopping || step % config.checkpointEvery == 0 || step == config.steps {
        writer.sync()
        probes?.sync()
        try checkpoint(step: step, m: m, v: v)
      }
      if stopping {
        manifest.status = .cancelled
        manifest.error = nil
        manifest.updatedAt = Date().timeIntervalSince1970
        try writeManifest(manifest)
        log("cancelled at step \(step) (\(stop.reason ?? "stop requested")); checkpoint written")
        return .cancelled
      }
      step += 1
    }
    try Checkpoint(
      model: model.config, step: config.steps, objective: config.objective.rawValue,
      parameters: model.parameters
    ).write(to: directory.checkpointsPath + "/" + Self.finalCheckpoint)
    manifest.status = .finished
    manifest.updatedAt = Date().timeIntervalSince1970
    try writeManifest(manifest)
    log(
      "finished \(config.steps) steps in \(fmt(Date().timeIntervalSince(began0))) s wall, "
        + "\(fmt(cpuSeconds())) s CPU")
    return .finished
  }

  var latestPath: String { directory.checkpointsPath + "/" + Self.latestCheckpoint }

  /// Writes the latest checkpoint with optimiser state (atomically).
  func checkpoint(step: Int, m: FloatBuffer, v: FloatBuffer) throws(TrainingError) {
    try Checkpoint(
      model: model.config, step: step, objective: config.objective.rawValue,
      parameters: model.parameters, firstMoments: m.array, secondMoments: v.array
    ).write(to: latestPath)
  }

  /// Runs the held-out evaluation and logs it as an eval record.
  func evaluate(step: Int, writer: MetricsWriter, probes: MetricsWriter?) throws(TrainingError) {
    let cpu = cpuSeconds()
    let values = stepper.evaluate(step: step, model: model)
    let cost = cpuSeconds() - cpu
    try append(
      writer,
      MetricRecord(step: step, time: Date().timeIntervalSince1970, split: .eval, values: values))
    try writeProbes(stepper.takeProbes(), step: step, to: probes)
    log(
      "eval step \(step) (\(fmt(cost)) s CPU): "
        + values.map { "\($0.0) \(fmt($0.1))" }.joined(separator: " "))
  }

  /// Drops metric records past `step` (a killed run logged steps its last
  /// checkpoint does not hold; the resumed run logs them again).
  func trimMetrics(after step: Int) throws(TrainingError) {
    try trimLines(directory.metricsPath, after: step)
  }

  /// Drops the lines of the JSON-lines file at `path` whose `step` is past `step`.
  func trimLines(_ path: String, after step: Int) throws(TrainingError) {
    guard let data = try? readWholeFile(path) else { return }
    var kept = Data()
    for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
      guard
        let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
        let s = object["step"] as? Int
      else { continue }
      if s <= step {
        kept.append(contentsOf: line)
        kept.append(UInt8(ascii: "\n"))
      }
    }
    try wrap(path) { try writeFileAtomically(path, kept) }
  }

  func writeManifest(_ manifest: RunManifest) throws(TrainingError) {
    try wrap(directory.manifestPath) { try directory.writeManifest(manifest) }
  }

  func append(_ writer: MetricsWriter, _ record: MetricRecord) throws(TrainingError) {
    try wrap(directory.metricsPath) { try writer.append(record) }
  }
}

/// Runs a RunLog operation, mapping its error to a TrainingError.
func wrap(_ path: String, _ body: () throws -> Void) throws(TrainingError) {
  do { try body() } catch let error as RunLogError {
    throw TrainingError(writeFailure: error, path: path)
  } catch {
    throw TrainingError(.writeFailed(path: path, reason: "\(error)"))
  }
}

/// A short human rendering of a metric value.
func fmt(_ x: Double) -> String {
  if x == 0 || !x.isFinite { return "\(x)" }
  return abs(x) >= 0.01 && abs(x) < 1e5
    ? String(format: "%.4f", x) : String(format: "%.3e", x)
}

/// "L layers, d D, H heads, context T".
func describe(_ c: ModelConfig) -> String {
  "\(c.layers) layers, dim \(c.dim), \(c.heads) heads, context \(c.context)"
}

/// User + system CPU seconds of this process so far (all threads).
func cpuSeconds() -> Double {
  var usage = rusage()
  #if canImport(Glibc)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
  #else
    getrusage(RUSAGE_SELF, &usage)
  #endif
  let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
  let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
  return user + system
}

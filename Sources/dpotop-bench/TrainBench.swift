import Foundation
import RunLog
import Training

/// `dpotop-bench train`: training throughput of the default model, for an
/// SFT step and a preference (DPO) step, through the real training loop.
enum TrainBench {
  static let bench = Bench(
    name: "train", summary: "tokens/s and steps/s of the default model (SFT and DPO)",
    help: """
      USAGE: dpotop-bench train [--steps N] [--threads N] [--profile] [--vs-pytorch]

      Runs the real training loop on the default model (\(ModelConfig.standard.layers) layers, dim \(ModelConfig.standard.dim),
      \(ModelConfig.standard.heads) heads, context \(ModelConfig.standard.context)) into temporary run directories: SFT with
      32 sequences a step, then DPO with 16 pairs a step from the shipped
      reference (or a fresh model when it is not found). Prints the median
      tokens/s and steps/s (evaluation excluded).

      OPTIONS:
        --steps N     timed steps per objective (default: 20)
        --threads N   kernel threads (default: 2)
        --profile     also print where a DPO step's time goes (embedding, each
                      matmul, attention, ..., each backward, AdamW, clipping,
                      threads waiting); timers are off otherwise
        --vs-pytorch  also run the same model, batches, AdamW and clip in
                      PyTorch (fp32, same threads) and print the ratio
      """, run: run)

  static func run(_ args: [String]) -> Int32 {
    let steps: Int
    let threads: Int
    let profile: Bool
    let versus: Bool
    do {
      let parsed = try Options(valued: ["steps", "threads"], flags: ["profile", "vs-pytorch"])
        .parse(args)
      steps = try parsed.int("steps", default: 20, in: 2...10_000)
      threads = try parsed.int("threads", default: 2, in: 1...256)
      profile = parsed.flag("profile")
      versus = parsed.flag("vs-pytorch")
    } catch {
      fail("\(error)", hint: "see 'dpotop-bench train --help'")
    }
    let base = NSTemporaryDirectory() + "dpotop-bench-train-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: base) }
    var config = TrainingConfig()
    config.steps = steps
    config.evalEvery = 1_000_000
    config.evalSamples = 0
    config.evalLossRows = 0
    config.checkpointEvery = 1_000_000
    config.threads = threads
    config.trainCount = 2000
    var pref = config
    pref.objective = .dpo
    pref.batch = 16
    pref.data = "math-low-edit"
    pref.learningRate = 1e-4
    pref.reference = referenceCheckpoint()
    var peer: TorchPeer?
    if versus {
      if let why = TorchPeer.unavailable() {
        fail("--vs-pytorch: \(why)", hint: "or run 'dpotop-bench train' without --vs-pytorch")
      }
      let specPath = base + "-torch.json"
      defer { try? FileManager.default.removeItem(atPath: specPath) }
      do {
        try TorchPeer.writeSpec(
          to: specPath, model: .standard, threads: threads,
          configs: [("sft", config), ("dpo", pref)])
        peer = try TorchPeer(specPath: specPath)
      } catch {
        fail("--vs-pytorch: \(error)")
      }
    }
    let params = ParameterLayout(ModelConfig.standard).count
    print(
      "default model: \(params) parameters, \(threads) thread(s), \(steps) steps each; "
        + "kernels \(KernelPath.active.rawValue)")
    if pref.reference == nil {
      let path = base + "-ref.ckpt"
      let model = TinyTransformer(config: .standard, maxBatch: 1)
      model.initialiseWeights(seed: 1)
      try? FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
      try? Checkpoint(model: .standard, step: 0, objective: "sft", parameters: model.parameters)
        .write(to: path)
      pref.reference = path
      print("(shipped reference not found: DPO from a fresh model)")
    }
    // Side by side: dpotop and PyTorch alternate, best of three rounds each,
    // so a burst of load elsewhere hits both.
    let rounds = peer == nil ? 1 : 3
    var best: [String: (ours: Double, steps: Double, torch: Double)] = [:]
    for round in 0..<rounds {
      for (kind, cfg) in [("sft", config), ("dpo", pref)] {
        let profiling = profile && kind == "dpo" && round == 0
        if profiling { TrainProfile.start() }
        guard let ours = measure(cfg, dir: base + "/\(kind)\(round)") else { return 1 }
        if profiling { TrainProfile.stop() }
        let torch = peer?.tokensPerSecond(kind) ?? 0
        let old = best[kind] ?? (0, 0, 0)
        best[kind] = (
          max(old.ours, ours.tokens), max(old.steps, ours.steps), max(old.torch, torch)
        )
      }
    }
    for (kind, label) in [("sft", "sft, 32 sequences/step"), ("dpo", "dpo, 16 pairs/step")] {
      guard let b = best[kind] else { continue }
      report(label, (b.ours, b.steps))
      if let peer {
        print(
          "  " + "PyTorch \(peer.version)".padding(toLength: 24, withPad: " ", startingAt: 0)
            + String(
              format: "%9.0f tokens/s   ratio dpotop/PyTorch %.2f", b.torch, b.ours / b.torch))
      }
    }
    if profile { TrainProfile.printTable("DPO (16 pairs)") }
    return 0
  }

  /// Median tokens/s and steps/s of a short run (its first step, which
  /// fills the reference cache's first batch, included).
  static func measure(_ config: TrainingConfig, dir: String) -> (tokens: Double, steps: Double)? {
    do {
      try Trainer(config: config, directory: RunDirectory(path: dir), log: { _ in }).run()
    } catch {
      FileHandle.standardError.write(Data("dpotop-bench: bench train: \(error)\n".utf8))
      return nil
    }
    var times: [Double] = []
    var tps: [Double] = []
    let text = readTextFile(dir + "/metrics.jsonl") ?? ""
    for line in text.split(separator: "\n") {
      guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        obj["split"] as? String == "train", let t = obj["time"] as? Double,
        let v = obj[MetricKey.tokensPerSecond] as? Double
      else { continue }
      times.append(t)
      tps.append(v)
    }
    let gaps = zip(times.dropFirst(), times).map { $0 - $1 }.sorted()
    guard !gaps.isEmpty else { return nil }
    return (tps.sorted()[tps.count / 2], 1 / gaps[gaps.count / 2])
  }

  static func report(_ label: String, _ m: (tokens: Double, steps: Double)) {
    print(
      label.padding(toLength: 26, withPad: " ", startingAt: 0)
        + String(format: "%9.0f tokens/s %7.2f steps/s", m.tokens, m.steps))
  }

  /// The shipped SFT reference (`sample-runs/reference`), found as `dpotop
  /// train` finds it, or nil (the bench then starts DPO from a fresh model).
  static func referenceCheckpoint() -> String? {
    let relative = "sample-runs/reference/checkpoints/final.ckpt"
    var candidates = [relative]
    if let samples = BundledPaths.directory("sample-runs") {
      candidates.append(samples + "/reference/checkpoints/final.ckpt")
    }
    return candidates.first { FileManager.default.fileExists(atPath: $0) }
  }
}

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
                                [--size default|4.8m|25m] [--dim N] [--layers N] [--heads N]

      Runs the real training loop on the default model (\(ModelConfig.standard.layers) layers, dim \(ModelConfig.standard.dim),
      \(ModelConfig.standard.heads) heads, context \(ModelConfig.standard.context)) into temporary run directories: SFT with
      32 sequences a step, then DPO with 16 pairs a step from the shipped
      reference (or a fresh model when it is not found, or for another size).
      Prints the median tokens/s and steps/s (evaluation excluded), and the
      GFLOP/s a step sustains (6 × parameters in the matmuls × tokens, plus
      attention's 6·T·C per token and layer, forward and backward).

      OPTIONS:
        --steps N     timed steps per objective (default: 20)
        --threads N   kernel threads (default: 2)
        --profile     also print where a DPO step's time goes (embedding, each
                      matmul, attention, ..., each backward, AdamW, clipping,
                      threads waiting); timers are off otherwise
        --vs-pytorch  also run the same model, batches, AdamW and clip in
                      PyTorch (fp32, same threads) and print the ratio
        --size S      model size: default (dim 96, 3 layers, 4 heads), 4.8m
                      (dim 256, 6 layers, 8 heads), 25m (dim 512, 8 layers, 8 heads)
        --dim N, --layers N, --heads N
                      override the size's shape
      """, run: run)

  static func run(_ args: [String]) -> Int32 {
    let steps: Int
    let threads: Int
    let profile: Bool
    let versus: Bool
    let model: ModelConfig
    do {
      let parsed = try Options(
        valued: ["steps", "threads", "size", "dim", "layers", "heads"],
        flags: ["profile", "vs-pytorch"]
      ).parse(args)
      steps = try parsed.int("steps", default: 20, in: 2...10_000)
      threads = try parsed.int("threads", default: 2, in: 1...256)
      profile = parsed.flag("profile")
      versus = parsed.flag("vs-pytorch")
      model = try modelShape(parsed)
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
    config.model = model
    var pref = config
    pref.objective = .dpo
    pref.batch = 16
    pref.data = "math-low-edit"
    pref.learningRate = 1e-4
    // The shipped reference is the default model; another size starts from a fresh one.
    pref.reference = model == .standard ? referenceCheckpoint() : nil
    var peer: TorchPeer?
    if versus {
      if let why = TorchPeer.unavailable() {
        fail("--vs-pytorch: \(why)", hint: "or run 'dpotop-bench train' without --vs-pytorch")
      }
      let specPath = base + "-torch.json"
      defer { try? FileManager.default.removeItem(atPath: specPath) }
      do {
        try TorchPeer.writeSpec(
          to: specPath, model: model, threads: threads,
          configs: [("sft", config), ("dpo", pref)])
        peer = try TorchPeer(specPath: specPath)
      } catch {
        fail("--vs-pytorch: \(error)")
      }
    }
    let params = ParameterLayout(model).count
    let label =
      model == .standard
      ? "default model" : "model dim \(model.dim), \(model.layers) layers, \(model.heads) heads"
    print(
      "\(label): \(params) parameters, \(threads) thread(s), \(steps) steps each; "
        + "kernels \(KernelPath.active.rawValue)")
    if pref.reference == nil {
      let path = base + "-ref.ckpt"
      let fresh = TinyTransformer(config: model, maxBatch: 1)
      fresh.initialiseWeights(seed: 1)
      try? FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
      try? Checkpoint(model: model, step: 0, objective: "sft", parameters: fresh.parameters)
        .write(to: path)
      pref.reference = path
      if model == .standard { print("(shipped reference not found: DPO from a fresh model)") }
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
      print(
        "  " + "".padding(toLength: 24, withPad: " ", startingAt: 0)
          + String(
            format: "%9.1f GFLOP/s (model FLOPs per token × tokens/s)",
            flopsPerToken(model, reference: kind == "dpo") * b.ours / 1e9))
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

  /// The named sizes of `--size`, overridden by `--dim`, `--layers`, `--heads`.
  static func modelShape(_ parsed: Options.Parsed) throws -> ModelConfig {
    var model = ModelConfig.standard
    switch parsed.string("size") ?? "default" {
    case "default": break
    case "4.8m", "4.8M":
      (model.dim, model.layers, model.heads) = (256, 6, 8)
    case "25m", "25M":
      (model.dim, model.layers, model.heads) = (512, 8, 8)
    case let other:
      throw TrainingError(
        .badOption(name: "size", reason: "'\(other)' is not default, 4.8m or 25m"))
    }
    model.dim = try parsed.int("dim", default: model.dim, in: 4...2048)
    model.layers = try parsed.int("layers", default: model.layers, in: 1...64)
    model.heads = try parsed.int("heads", default: model.heads, in: 1...2048)
    if let problem = model.problem {
      throw TrainingError(.badOption(name: "dim/layers/heads", reason: problem))
    }
    return model
  }

  /// Floating-point operations of one training token (forward + backward =
  /// 3 × forward): 2 per weight of the matmuls (the tied output projection
  /// included) and attention's scores and ·V, 2·T·C per layer at the mean
  /// causal length T/2 of a full context (an upper bound for shorter rows).
  /// A DPO step also runs the reference's forward: 4 × forward.
  static func flopsPerToken(_ model: ModelConfig, reference: Bool) -> Double {
    let c = Double(model.dim)
    let matmul = Double(model.layers) * 12 * c * c + c * Double(model.vocab)
    let attention = Double(model.layers) * 2 * Double(model.context) * c
    return (reference ? 4 : 3) * (2 * matmul + attention)
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

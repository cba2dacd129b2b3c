import Foundation
import Processes
import Training

/// The PyTorch side of `dpotop-bench train --vs-pytorch`: one long-lived
/// python process holding the same model shape in torch (fp32, tied output,
/// pre-LayerNorm blocks, tanh GELU, causal attention), AdamW with dpotop's
/// hyper-parameters and decay mask, clip 1.0. It reads dpotop's own batches
/// from a JSON file and, for each request line ("sft" or "dpo") on stdin,
/// trains through them and answers with the median tokens/s, counted as the
/// trainer counts them (non-padding tokens over the step's wall time).
final class TorchPeer {

  private let process = Process()
  private let input = Pipe()
  private let output = Pipe()
  private var buffer = Data()
  /// torch's version, from the peer's greeting.
  private(set) var version = ""

  /// Why the peer cannot run, or nil when `python -c 'import torch'` works.
  static func unavailable() -> String? {
    let probe = Process()
    probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    probe.arguments = [PeerPython.executable, "-c", "import torch"]
    probe.standardOutput = FileHandle.nullDevice
    probe.standardError = FileHandle.nullDevice
    do { try probe.run() } catch { return "\(PeerPython.executable) cannot be started" }
    probe.waitUntilExit()
    guard probe.terminationStatus == 0 else {
      return "\(PeerPython.executable) cannot import torch; " + PeerPython.installHint("torch")
    }
    return nil
  }

  /// Starts the peer on the batches in `specPath`.
  init(specPath: String) throws {
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [PeerPython.executable, PeerScripts.path("train_torch.py"), specPath]
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    let greeting = readLine() ?? ""
    guard greeting.hasPrefix("ready torch ") else {
      throw TrainingError(.badOption(name: "vs-pytorch", reason: "the torch peer did not start"))
    }
    version = String(greeting.dropFirst("ready torch ".count))
  }

  deinit {
    try? input.fileHandleForWriting.close()
    process.waitUntilExit()
  }

  /// Trains `kind` ("sft" or "dpo") through its batches; median tokens/s.
  func tokensPerSecond(_ kind: String) -> Double? {
    input.fileHandleForWriting.write(Data((kind + "\n").utf8))
    return readLine().flatMap(Double.init)
  }

  private func readLine() -> String? {
    while true {
      if let nl = buffer.firstIndex(of: UInt8(ascii: "\n")) {
        let line = String(decoding: buffer[buffer.startIndex..<nl], as: UTF8.self)
        buffer.removeSubrange(buffer.startIndex...nl)
        return line
      }
      let chunk = output.fileHandleForReading.availableData
      if chunk.isEmpty { return nil }
      buffer.append(chunk)
    }
  }

  /// Writes the JSON the peer reads: the model, threads, and per objective
  /// its hyper-parameters and dpotop's batches.
  static func writeSpec(
    to path: String, model: ModelConfig, threads: Int, configs: [(String, TrainingConfig)]
  ) throws {
    var spec: [String: Any] = [
      "threads": threads,
      "model": [
        "vocab": model.vocab, "context": model.context, "dim": model.dim, "layers": model.layers,
        "heads": model.heads,
      ],
    ]
    for (kind, config) in configs {
      let batches = try StepBatches.batches(config).map { b -> [String: Any] in
        ["b": b.b, "t": b.t, "tokens": b.tokens, "targets": b.targets, "real": b.realTokens]
      }
      spec[kind] = [
        "lr": config.learningRate, "beta": config.beta, "weight_decay": config.weightDecay,
        "clip": config.clipNorm, "batches": batches,
      ]
    }
    let data = try JSONSerialization.data(withJSONObject: spec)
    try data.write(to: URL(fileURLWithPath: path))
  }
}

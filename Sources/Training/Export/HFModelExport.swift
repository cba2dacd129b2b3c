import Foundation
import RunLog

/// `dpotop export model`: a checkpoint as a Hugging Face model directory
/// that `AutoModelForCausalLM.from_pretrained` and
/// `AutoTokenizer.from_pretrained` load offline with no remote code
/// (docs/export.md): `config.json`, `generation_config.json`,
/// `model.safetensors`, the tokenizer files, a model card (`README.md`) and
/// `dpotop_check.json`, dpotop's own outputs for a checker in another stack.
public struct HFModelExport: Sendable {
  /// The checkpoint to export.
  public var checkpoint: String
  /// The directory to write.
  public var directory: String
  /// Write into a non-empty directory.
  public var force = false
  /// The held-out problems decoded for the card's accuracy and the check file
  /// are those of `dpotop train --seed seed` (default: train's default).
  public var seed: UInt64 = 1
  /// How many held-out problems are decoded (default: train's `--eval-samples`).
  public var evalSamples = 64
  /// This dpotop's version text (recorded in the card and the check file).
  public var version = ""
  /// The command line that made the export (recorded likewise).
  public var command = ""
  /// Kernel threads for the decodes.
  public var threads = 2

  /// What an export wrote.
  public struct Summary: Sendable {
    /// The model's shape.
    public var model: ModelConfig
    /// Parameters written.
    public var parameters: Int
    /// Held-out task accuracy of the greedy decodes.
    public var taskAccuracy: Double
    /// Held-out problems decoded.
    public var decoded: Int
    /// Files written, in the directory.
    public var files: [String]
  }

  /// Creates an export of `checkpoint` into `directory`.
  public init(checkpoint: String, directory: String) {
    self.checkpoint = checkpoint
    self.directory = directory
  }

  /// Reads the checkpoint, decodes the held-out problems and writes the directory.
  public func run() throws(TrainingError) -> Summary {
    let ckpt = try Checkpoint.read(from: checkpoint)
    let config = ckpt.header.model
    guard config.vocab == Tokenizer.standard.vocabSize else {
      throw TrainingError(
        .mismatch(
          path: checkpoint,
          reason: "vocabulary of \(config.vocab) ids, dpotop's tokenizer has "
            + "\(Tokenizer.standard.vocabSize): its tokenizer files cannot be written"))
    }
    try ExportDirectory.prepare(directory, force: force)

    let model = TinyTransformer(config: config, maxBatch: 1, threads: threads)
    model.parameters = ckpt.parameters
    let examples = BuiltinDataset.math.examples(count: evalSamples, seed: seed, split: .heldOut)
    let decodes = TaskAccuracy.decode(examples, model: model)
    let accuracy = TaskAccuracy.score(examples, decodes: decodes) ?? 0

    let tensors = GPT2Tensors.tensors(ckpt.parameters, config: config)
    let files: [(String, Data)] = [
      ("config.json", Data(GPT2Config.json(config).utf8)),
      ("generation_config.json", Data(GPT2Config.generationJSON().utf8)),
      ("model.safetensors", Safetensors.encode(tensors, metadata: ["format": "pt"])),
      ("tokenizer.json", Data(HFTokenizerFiles.tokenizerJSON().utf8)),
      ("tokenizer_config.json", Data(HFTokenizerFiles.configJSON(context: config.context).utf8)),
      ("special_tokens_map.json", Data(HFTokenizerFiles.specialTokensMapJSON().utf8)),
      ("dpotop_check.json", Data(checkJSON(examples, decodes, accuracy).utf8)),
      ("README.md", Data(card(ckpt, accuracy: accuracy, decoded: examples.count).utf8)),
    ]
    for (name, data) in files { try ExportDirectory.write(data, name, in: directory) }
    return Summary(
      model: config, parameters: ckpt.parameters.count, taskAccuracy: accuracy,
      decoded: examples.count, files: files.map(\.0))
  }

  /// `dpotop_check.json`: what dpotop itself computes, for a checker in
  /// another stack (scripts/export/check_hf.py): its token ids for its whole
  /// vocabulary's characters (plus a CRLF and a character outside it), and
  /// its greedy decodes of the held-out problems with their accuracy.
  func checkJSON(_ examples: [TextExample], _ decodes: [String], _ accuracy: Double) -> String {
    let text = String(Tokenizer.characters) + "\r\n\u{e9}~"
    let ids = Tokenizer.standard.encode(text).map(String.init).joined(separator: ",")
    var rows: [String] = []
    for (example, decode) in zip(examples, decodes) {
      rows.append(
        "    {\"prompt\": \(jsonString(example.prompt)), \"completion\": \(jsonString(decode)), "
          + "\"answer\": \(jsonString(example.answer ?? ""))}")
    }
    return GPT2Config.object([
      ("dpotop_version", jsonString(version)),
      ("command", jsonString(command)),
      ("checkpoint", jsonString(checkpoint)),
      ("tokenizer", "{\"text\": \(jsonString(text)), \"ids\": [\(ids)]}"),
      ("greedy_seed", "\(seed)"),
      ("greedy_max_new_tokens", "\(TaskAccuracy.maxTokens)"),
      ("greedy_task_accuracy", "\(accuracy)"),
      ("greedy", "[\n" + rows.joined(separator: ",\n") + "\n  ]"),
    ])
  }

  /// The model card: what the model is, how well it does, where it came from.
  func card(_ ckpt: Checkpoint, accuracy: Double, decoded: Int) -> String {
    let m = ckpt.header.model
    let percent = String(format: "%.1f", accuracy * 100)
    var text = """
      ---
      library_name: transformers
      pipeline_tag: text-generation
      tags: [dpotop, gpt2, character-level, toy]
      ---
      # dpotop \(ckpt.header.objective) model, step \(ckpt.header.step)

      A GPT-2-architecture causal language model at toy size, exported by
      `dpotop export model` from the dpotop checkpoint `\(checkpoint)`:
      \(m.layers) layers, width \(m.dim), \(m.heads) heads, MLP width \(4 * m.dim), context \(m.context)
      tokens, \(m.vocab) token ids (one per character, plus `<pad>` 0, `<s>` 1, `</s>` 2,
      `<unk>` 3), \(ckpt.parameters.count) parameters, float32. It was trained on CPU
      by dpotop's embedded trainer on the built-in maths word problems
      (`dpotop export data math --out DIR` writes them as JSONL).

      ## Held-out accuracy

      **\(percent) %** of \(decoded) held-out problems solved (greedy decoding, final `#### N`
      correct): the problems a `dpotop train --seed \(seed)` evaluation decodes, measured by
      this export. `dpotop_check.json` lists each problem, dpotop's completion and
      the answer, so another stack can compare its decodes with them.

      ## Use

      ```python
      from transformers import AutoModelForCausalLM, AutoTokenizer
      tok = AutoTokenizer.from_pretrained("DIR")
      model = AutoModelForCausalLM.from_pretrained("DIR")
      ids = tok("Ann has 5 pens, buys 3. How many?\\n", return_tensors="pt").input_ids
      out = model.generate(ids, max_new_tokens=\(TaskAccuracy.maxTokens), do_sample=False)
      print(tok.decode(out[0, ids.shape[1]:], skip_special_tokens=True))
      ```

      The tokenizer puts `<s>` before the text (as dpotop does before every
      prompt) and never adds `</s>`: a scored sequence is
      `tok(prompt + completion).input_ids + [tok.eos_token_id]`, dpotop's exactly.

      ## How it was trained

      Checkpoint: objective `\(ckpt.header.objective)`, \(ckpt.header.step) optimiser steps.

      """
    let runDir = ((checkpoint as NSString).deletingLastPathComponent as NSString)
      .deletingLastPathComponent
    if let manifest = try? RunDirectory(path: runDir).readManifest() {
      var facts: [String] = ["run `\(manifest.name)` (trainer \(manifest.trainer))"]
      if let d = manifest.dataset {
        facts.append(
          "data `\(d.path ?? d.name)`" + (d.examples.map { ", \($0) training rows" } ?? ""))
      }
      if let steps = manifest.plannedSteps { facts.append("\(steps) steps planned") }
      if let lr = manifest.learningRate { facts.append("learning rate \(lr)") }
      if let b = manifest.batchSize { facts.append("batch \(b)") }
      if let s = manifest.seed { facts.append("seed \(s)") }
      if let r = manifest.reference { facts.append("started from `\(r)`") }
      text += "Its run directory's `run.json`: " + facts.joined(separator: ", ") + ".\n\n"
    }
    let runReadme = (runDir as NSString).appendingPathComponent("README.md")
    if let readme = try? String(contentsOfFile: runReadme, encoding: .utf8) {
      text += "The run directory's README (`\(runReadme)`), as it was:\n\n"
      text +=
        readme.split(separator: "\n", omittingEmptySubsequences: false)
        .map { $0.isEmpty ? ">" : "> " + $0 }.joined(separator: "\n") + "\n\n"
    }
    text += """
      ## Provenance

      - exported by: dpotop \(version)
      - command: `\(command)`
      - format: transformers `GPT2LMHeadModel` (`gelu_new`, LayerNorm ε 1e-5, tied
        output head); weights written by dpotop's own safetensors writer. The
        mapping and what was checked against transformers are in dpotop's docs/export.md.

      """
    return text
  }
}

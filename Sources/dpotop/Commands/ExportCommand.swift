import Foundation
import Training

/// `dpotop export WHAT`: dpotop's model and data in the formats PyTorch,
/// transformers and TRL load (docs/export.md).
///
/// Each kind of export is a `Command` in `subcommands`; `export WHAT --help`
/// prints its own help.
enum ExportCommand {
  /// Every export, in the order `--help` lists them.
  static let subcommands: [Command] = [
    modelCommand,
    dataCommand,
    Command(
      name: "metrics", summary: "runs' metrics (every scalar) as CSV or JSON",
      help: ExportMetricsCommand.help, options: ExportMetricsCommand.options,
      run: ExportMetricsCommand.run),
  ]

  static var command: Command {
    var help = """
      USAGE: dpotop export WHAT [OPTIONS]

      Writes dpotop's model or data in the formats Hugging Face transformers,
      datasets and TRL load, offline and with no conversion script.

      EXPORTS:

      """
    for c in subcommands {
      help += "  " + c.name.padding(toLength: 10, withPad: " ", startingAt: 0) + c.summary + "\n"
    }
    help += "\nRun 'dpotop export WHAT --help' for an export's options."
    return Command(
      name: "export", summary: "write the model and data in Hugging Face / TRL formats",
      help: help, run: run,
      helpFor: { [help] args in
        args.first.flatMap { name in subcommands.first { $0.name == name }?.help } ?? help
      })
  }

  static func run(_ args: [String]) -> Int32 {
    guard let name = args.first else {
      fail("export needs WHAT to export", hint: "see 'dpotop export --help'")
    }
    guard let sub = subcommands.first(where: { $0.name == name }) else {
      let names = subcommands.map(\.name).joined(separator: ", ")
      fail("unknown export '\(name)' (exports: \(names))", hint: "see 'dpotop export --help'")
    }
    return sub.run(Array(args.dropFirst()))
  }

  /// The command line as typed, for the cards (arguments with spaces quoted).
  static func commandLine(_ what: String, _ args: [String]) -> String {
    (["dpotop", "export", what] + args).map { $0.contains(" ") ? "'\($0)'" : $0 }
      .joined(separator: " ")
  }

  // MARK: - export model

  /// The options, declared once: the parser and the help come from these.
  static let modelOptions: [OptionSpec] = [
    .value("hf", "DIR", "directory to write; created if missing (required)"),
    .flag(
      "force",
      "write into DIR even if it is not empty (the export's files are replaced, others left alone); default: refuse"
    ),
    .value(
      "seed", "S", "whose held-out problems are decoded: dpotop train's seed",
      default: "1, train's default"),
    .value("threads", "N", "kernel threads for the decodes", default: "2"),
  ]

  static let modelCommand = Command(
    name: "model", summary: "a checkpoint as a Hugging Face model directory (GPT-2)",
    help: """
      USAGE: dpotop export model [CHECKPOINT] --hf DIR [--force] [--seed S]

      Writes CHECKPOINT (default: the shipped SFT reference,
      \(TrainCommand.referencePath)) as a Hugging Face model directory that
      transformers' AutoModelForCausalLM.from_pretrained(DIR) and
      AutoTokenizer.from_pretrained(DIR) load offline, with no remote code:

        config.json, generation_config.json   GPT-2 (GPT2LMHeadModel: gelu_new,
                                              LayerNorm eps 1e-5, tied head)
        model.safetensors                     the weights, float32
        tokenizer.json, tokenizer_config.json,
        special_tokens_map.json               dpotop's character tokenizer;
                                              tokenizer(text) puts <s> first
        README.md                             model card: shape, held-out
                                              accuracy, training, provenance
        dpotop_check.json                     dpotop's own token ids and greedy
                                              decodes, for scripts/check-export.sh

      Before writing, the model greedy-decodes the first 64 held-out problems of
      'dpotop train --seed S' for the card's accuracy and dpotop_check.json.

      OPTIONS:
      \(OptionSpec.helpSection(modelOptions))
      """,
    options: modelOptions, run: runModel)

  static func runModel(_ args: [String]) -> Int32 {
    let export = parsingArguments(help: "export model") { () throws(OptionError) in
      let parsed = try Options(modelOptions).parse(args)
      if parsed.positional.count > 1 {
        throw OptionError("unexpected argument '\(parsed.positional[1])'")
      }
      guard let dir = parsed.string("hf"), !dir.isEmpty else {
        throw OptionError("--hf DIR is required")
      }
      let checkpoint: String
      if let given = parsed.positional.first {
        checkpoint = given
      } else {
        guard let found = TrainCommand.locateReference() else {
          throw OptionError(
            "no CHECKPOINT given and the shipped reference \(TrainCommand.referencePath) not found")
        }
        checkpoint = found
      }
      var export = HFModelExport(checkpoint: checkpoint, directory: dir)
      export.force = parsed.flag("force")
      export.seed = UInt64(try parsed.int("seed", default: 1, in: 0...Int.max))
      export.threads = try parsed.int("threads", default: 2, in: 1...256)
      export.version = DpoTop.version
      export.command = commandLine("model", args)
      return export
    }
    let s: HFModelExport.Summary
    do {
      s = try export.run()
    } catch {
      fail(error.description, status: 1)
    }
    let m = s.model
    print(
      "wrote \(export.directory): GPT-2 \(m.layers) layers, dim \(m.dim), \(m.heads) heads, "
        + "context \(m.context), \(s.parameters) parameters")
    print(
      "held-out task accuracy \(String(format: "%.4f", s.taskAccuracy)) "
        + "(\(s.decoded) problems, greedy); files: \(s.files.joined(separator: ", "))")
    return 0
  }

  // MARK: - export data

  static var datasetNames: String {
    BuiltinDataset.allCases.map(\.rawValue).joined(separator: ", ")
  }

  /// The options, declared once: the parser and the help come from these.
  static let dataOptions: [OptionSpec] = [
    .value("out", "DIR", "directory to write; created if missing (required)"),
    .value("seed", "S", "dpotop train's --seed", default: "1, train's default"),
    .value("train-rows", "N", "dpotop train's --train-rows", default: "10000"),
    .value(
      "test-rows", "N", "the first N held-out rows",
      default: "256, the trainer's whole held-out set"),
    .flag("force", "write into DIR even if it is not empty; default: refuse"),
  ]

  static let dataCommand = Command(
    name: "data", summary: "a built-in dataset as JSONL for TRL and datasets",
    help: """
      USAGE: dpotop export data NAME --out DIR [--seed S] [--train-rows N] [--test-rows N] [--force]

      Writes the built-in dataset NAME (\(datasetNames)) as
      DIR/train.jsonl and DIR/test.jsonl in TRL's standard formats: preference
      pairs (math-low-edit, math-high-edit) as prompt/chosen/rejected, the
      supervised set (math) as prompt/completion; each row also has "answer",
      and pairs "edit_distance" and "normalized_edit_distance". The split is
      dpotop train's for the same --seed and --train-rows: test.jsonl is the
      trainer's held-out set in its order, so a run's K probes are its first K
      rows. datasets.load_dataset("json", data_dir=DIR) loads both splits.
      DIR/README.md describes the files.

      OPTIONS:
      \(OptionSpec.helpSection(dataOptions))
      """,
    options: dataOptions, run: runData)

  static func runData(_ args: [String]) -> Int32 {
    let export = parsingArguments(help: "export data") { () throws(OptionError) in
      let parsed = try Options(dataOptions).parse(args)
      guard let name = parsed.positional.first else {
        throw OptionError("export data needs a dataset NAME (\(datasetNames))")
      }
      if parsed.positional.count > 1 {
        throw OptionError("unexpected argument '\(parsed.positional[1])'")
      }
      guard let dataset = BuiltinDataset(rawValue: name) else {
        throw OptionError("unknown dataset '\(name)': the built-in datasets are \(datasetNames)")
      }
      guard let dir = parsed.string("out"), !dir.isEmpty else {
        throw OptionError("--out DIR is required")
      }
      var export = DatasetExport(dataset: dataset, directory: dir)
      export.seed = UInt64(try parsed.int("seed", default: 1, in: 0...Int.max))
      export.trainRows = try parsed.int("train-rows", default: 10_000, in: 1...10_000_000)
      export.testRows = try parsed.int(
        "test-rows", default: BuiltinDataset.defaultHeldOutCount, in: 1...1_000_000)
      export.force = parsed.flag("force")
      export.command = commandLine("data", args)
      return export
    }
    let s: DatasetExport.Summary
    do {
      s = try export.run()
    } catch {
      fail(error.description, status: 1)
    }
    var line =
      "wrote \(export.directory): \(s.train) train + \(s.test) test rows of "
      + "\(export.dataset.rawValue) (seed \(export.seed))"
    if let d = s.meanEditDistance {
      line += ", mean normalised edit distance \(String(format: "%.3f", d))"
    }
    print(line)
    return 0
  }
}

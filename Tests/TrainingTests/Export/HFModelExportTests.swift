import Foundation
import Testing

@testable import Training

@Suite struct HFModelExportTests {
  let shape = ModelConfig(
    vocab: Tokenizer.standard.vocabSize, context: 16, dim: 8, layers: 1, heads: 2)

  func tempDir() -> String {
    FileManager.default.temporaryDirectory.path
      + "/export-model-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
  }

  func object(_ path: String) throws -> [String: Any] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  @Test func writesALoadableDirectoryWhoseWeightsAreTheCheckpoints() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let params = randomFloats(ParameterLayout(shape).count, seed: 5, scale: 0.1)
    let ckptPath = dir + "-ckpt"
    defer { try? FileManager.default.removeItem(atPath: ckptPath) }
    try Checkpoint(model: shape, step: 3, objective: "sft", parameters: params).write(to: ckptPath)
    var export = HFModelExport(checkpoint: ckptPath, directory: dir)
    export.evalSamples = 4
    export.version = "9.9.9"
    export.command = "dpotop export model x --hf y"
    let summary = try export.run()
    #expect(summary.parameters == params.count)
    #expect(summary.decoded == 4)

    let config = try object(dir + "/config.json")
    #expect(config["model_type"] as? String == "gpt2")
    #expect(config["activation_function"] as? String == "gelu_new")
    #expect(config["layer_norm_epsilon"] as? Double == 1e-5)
    #expect(config["n_embd"] as? Int == 8)
    #expect(config["n_positions"] as? Int == 16)
    #expect(config["n_inner"] as? Int == 32)
    #expect(config["vocab_size"] as? Int == Tokenizer.standard.vocabSize)
    #expect(config["tie_word_embeddings"] as? Bool == true)
    #expect(config["bos_token_id"] as? Int == 1 && config["eos_token_id"] as? Int == 2)

    // The safetensors file holds exactly the checkpoint's values, bit for bit.
    let file = try Safetensors.decode(
      Data(contentsOf: URL(fileURLWithPath: dir + "/model.safetensors")), path: "model")
    #expect(
      file.tensors.flatMap(\.values).map(\.bitPattern).sorted() == params.map(\.bitPattern).sorted()
    )
    #expect(file.tensors == GPT2Tensors.tensors(params, config: shape))

    // The check file: dpotop's ids and decodes, with the accuracy they score.
    let check = try object(dir + "/dpotop_check.json")
    let tokenizer = try #require(check["tokenizer"] as? [String: Any])
    let text = try #require(tokenizer["text"] as? String)
    #expect(tokenizer["ids"] as? [Int] == Tokenizer.standard.encode(text).map(Int.init))
    let greedy = try #require(check["greedy"] as? [[String: String]])
    let problems = BuiltinDataset.math.examples(count: 4, seed: 1, split: .heldOut)
    #expect(greedy.map { $0["prompt"] } == problems.map(\.prompt))
    let model = TinyTransformer(config: shape, maxBatch: 1)
    model.parameters = params
    #expect(greedy.map { $0["completion"] } == TaskAccuracy.decode(problems, model: model))
    #expect(check["greedy_task_accuracy"] as? Double == summary.taskAccuracy)
    #expect(check["dpotop_version"] as? String == "9.9.9")

    let card = try String(contentsOfFile: dir + "/README.md", encoding: .utf8)
    #expect(card.contains("1 layers, width 8, 2 heads"))
    #expect(card.contains("dpotop 9.9.9"))
    #expect(card.contains("`dpotop export model x --hf y`"))
    for name in ["tokenizer.json", "tokenizer_config.json", "generation_config.json"] {
      #expect(FileManager.default.fileExists(atPath: dir + "/" + name))
    }
  }

  @Test func aFileThatIsNoCheckpointIsRefusedByName() throws {
    let path = tempDir() + ".ckpt"
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Data("not a checkpoint at all".utf8).write(to: URL(fileURLWithPath: path))
    let out = tempDir()
    #expect {
      try HFModelExport(checkpoint: path, directory: out).run()
    } throws: { error in
      "\(error)" == "\(path): bad checkpoint: not a dpotop checkpoint (magic bytes missing)"
    }
    // Nothing is created for a bad input.
    #expect(!FileManager.default.fileExists(atPath: out))
  }
}

import Foundation
import Testing

@testable import Training

@Suite struct CheckpointTests {
  let shape = ModelConfig(
    vocab: Tokenizer.standard.vocabSize, context: 8, dim: 4, layers: 1, heads: 2)

  func sample() -> Checkpoint {
    let n = ParameterLayout(shape).count
    // Include values whose bits a text format would not keep: subnormals, -0, extremes.
    var p = randomFloats(n, seed: 1)
    p[0] = -0.0
    p[1] = .leastNonzeroMagnitude
    p[2] = .greatestFiniteMagnitude
    return Checkpoint(
      model: shape, step: 42, objective: "sft", parameters: p,
      firstMoments: randomFloats(n, seed: 2),
      secondMoments: randomFloats(n, seed: 3).map { $0 * $0 })
  }

  @Test func roundTripsBitExactlyThroughAFile() throws {
    let ckpt = sample()
    let path =
      FileManager.default.temporaryDirectory.path
      + "/ckpt-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    defer { try? FileManager.default.removeItem(atPath: path) }
    try ckpt.write(to: path)
    let back = try Checkpoint.read(from: path)
    #expect(back.header == ckpt.header)
    #expect(back.parameters.map(\.bitPattern) == ckpt.parameters.map(\.bitPattern))
    #expect(back.firstMoments.map(\.bitPattern) == ckpt.firstMoments.map(\.bitPattern))
    #expect(back.secondMoments.map(\.bitPattern) == ckpt.secondMoments.map(\.bitPattern))
    // No temporary file is left behind by the atomic write.
    let dir = (path as NSString).deletingLastPathComponent
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter {
      $0.hasPrefix((path as NSString).lastPathComponent + ".tmp")
    }
    #expect(leftovers.isEmpty)
  }

  @Test func refusesTruncatedForeignAndInconsistentFiles() {
    let data = sample().encoded()
    #expect(throws: TrainingError.self) { try Checkpoint.decode(data.dropLast(4), path: "x") }
    #expect(throws: TrainingError.self) {
      try Checkpoint.decode(Data("hello world, not it".utf8), path: "x")
    }
    var versioned = data
    versioned[8] = 9
    #expect(throws: TrainingError.self) { try Checkpoint.decode(versioned, path: "x") }
    #expect(throws: TrainingError.self) { try Checkpoint.read(from: "/nonexistent/ckpt") }
    do {
      _ = try Checkpoint.decode(data.dropLast(4), path: "run/ckpt")
    } catch {
      #expect(error.description.hasPrefix("run/ckpt: bad checkpoint:"))
    }
  }
}

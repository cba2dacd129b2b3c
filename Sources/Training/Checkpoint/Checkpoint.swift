import Foundation
import RunLog

/// A model's weights, optionally with AdamW's moments, and where training was.
///
/// On disk: the 8-byte magic `DPOTCKPT`, a little-endian UInt32 format
/// version, a UInt32 header length, a JSON header (model shape, step,
/// objective, counts), then the parameters, first moments and second moments
/// as little-endian Float32. Floats are stored bit-for-bit, so a round trip
/// is exact and a resumed run continues exactly.
public struct Checkpoint: Sendable, Equatable {
  /// The format version this build writes and reads.
  public static let formatVersion: UInt32 = 1
  static let magic = Array("DPOTCKPT".utf8)

  /// What the header records besides the tensors.
  public struct Header: Sendable, Equatable, Codable {
    /// The model's shape.
    public var model: ModelConfig
    /// Optimiser steps completed.
    public var step: Int
    /// The objective that produced it (`sft`, `dpo`, ...).
    public var objective: String
    /// Number of parameters (checked against the model).
    public var parameters: Int
    /// Whether AdamW moments follow the parameters.
    public var hasOptimizerState: Bool
  }

  /// The header.
  public var header: Header
  /// Parameters, in `ParameterLayout` order.
  public var parameters: [Float]
  /// AdamW first moments (empty when not saved).
  public var firstMoments: [Float]
  /// AdamW second moments (empty when not saved).
  public var secondMoments: [Float]

  /// Creates a checkpoint; moments are both empty or both parameter-sized.
  public init(
    model: ModelConfig, step: Int, objective: String, parameters: [Float],
    firstMoments: [Float] = [], secondMoments: [Float] = []
  ) {
    header = Header(
      model: model, step: step, objective: objective, parameters: parameters.count,
      hasOptimizerState: !firstMoments.isEmpty)
    self.parameters = parameters
    self.firstMoments = firstMoments
    self.secondMoments = secondMoments
  }

  /// The serialised bytes.
  public func encoded() -> Data {
    var data = Data(Self.magic)
    appendUInt32(&data, Self.formatVersion)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let json = (try? encoder.encode(header)) ?? Data()
    appendUInt32(&data, UInt32(json.count))
    data.append(json)
    for tensor in [parameters, firstMoments, secondMoments] {
      tensor.withUnsafeBufferPointer { buf in
        // Stored little-endian: convert each bit pattern on big-endian hosts.
        let words = buf.map { $0.bitPattern.littleEndian }
        words.withUnsafeBytes { data.append(contentsOf: $0) }
      }
    }
    return data
  }

  /// Writes atomically (temp file, fsync, rename) to `path`.
  public func write(to path: String) throws(TrainingError) {
    do {
      try writeFileAtomically(path, encoded())
    } catch {
      throw TrainingError(writeFailure: error, path: path)
    }
  }

  /// Reads and validates a checkpoint file.
  public static func read(from path: String) throws(TrainingError) -> Checkpoint {
    guard let data = try? readWholeFile(path) else {
      throw TrainingError(
        .badCheckpoint(path: path, reason: "cannot be read (missing or not a file)"))
    }
    return try decode(data, path: path)
  }

  /// Parses checkpoint bytes; `path` only names the origin in errors.
  public static func decode(_ data: Data, path: String) throws(TrainingError) -> Checkpoint {
    let bytes = [UInt8](data)
    func bad(_ reason: String) -> TrainingError {
      TrainingError(.badCheckpoint(path: path, reason: reason))
    }
    guard bytes.count >= 16, Array(bytes[0..<8]) == magic else {
      throw bad("not a dpotop checkpoint (magic bytes missing)")
    }
    let version = readUInt32(bytes, at: 8)
    guard version == formatVersion else {
      throw bad("format version \(version) is not supported (this build reads \(formatVersion))")
    }
    let headerLength = Int(readUInt32(bytes, at: 12))
    guard headerLength <= bytes.count - 16 else { throw bad("header runs past the end") }
    let header: Header
    do {
      header = try JSONDecoder().decode(Header.self, from: Data(bytes[16..<(16 + headerLength)]))
    } catch {
      throw bad("header is not valid JSON: \(error)")
    }
    if let problem = header.model.problem { throw bad("model shape: \(problem)") }
    let expected = ParameterLayout(header.model).count
    guard header.parameters == expected else {
      throw bad("header says \(header.parameters) parameters, the model shape has \(expected)")
    }
    let tensors = header.hasOptimizerState ? 3 : 1
    let want = 16 + headerLength + tensors * expected * 4
    guard bytes.count == want else {
      throw bad("\(bytes.count) bytes, expected \(want) (truncated or padded)")
    }
    var offset = 16 + headerLength
    func tensor() -> [Float] {
      var out = [Float](repeating: 0, count: expected)
      for i in 0..<expected {
        out[i] = Float(bitPattern: readUInt32(bytes, at: offset + 4 * i))
      }
      offset += 4 * expected
      return out
    }
    var ckpt = Checkpoint(
      model: header.model, step: header.step, objective: header.objective, parameters: tensor())
    if header.hasOptimizerState {
      ckpt.firstMoments = tensor()
      ckpt.secondMoments = tensor()
      ckpt.header.hasOptimizerState = true
    }
    guard ckpt.parameters.allSatisfy(\.isFinite) else { throw bad("parameters are not finite") }
    return ckpt
  }
}

private func appendUInt32(_ data: inout Data, _ value: UInt32) {
  withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
}

private func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
  UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
    | UInt32(bytes[offset + 3]) << 24
}

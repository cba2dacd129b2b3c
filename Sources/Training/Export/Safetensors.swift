import Foundation
import RunLog

/// The safetensors file format, written (and read back) by dpotop itself.
///
/// A file is an 8-byte little-endian header length N, N bytes of JSON (per
/// tensor: `dtype`, `shape`, `data_offsets` [begin, end) into the data that
/// follows; optionally `__metadata__`, a string-to-string map), then the raw
/// little-endian tensor data. dpotop writes float32 (`F32`) only, in the order
/// given, each tensor row-major, and pads the header with spaces to a
/// multiple of 8 bytes (as the reference writer does, so the data is aligned).
public enum Safetensors {
  /// One named tensor: its shape and its values, row-major.
  public struct Tensor: Sendable, Equatable {
    /// The name in the file (e.g. `transformer.h.0.attn.c_attn.weight`).
    public var name: String
    /// The dimensions, outermost first.
    public var shape: [Int]
    /// `shape`'s product of values.
    public var values: [Float]

    /// Creates a tensor; `values.count` must equal the product of `shape`.
    public init(name: String, shape: [Int], values: [Float]) {
      precondition(values.count == shape.reduce(1, *), "\(name): values do not fill \(shape)")
      self.name = name
      self.shape = shape
      self.values = values
    }
  }

  /// The bytes of a file holding `tensors` (in this order) and `metadata`.
  public static func encode(_ tensors: [Tensor], metadata: [String: String] = [:]) -> Data {
    var entries: [String] = []
    if !metadata.isEmpty {
      let pairs = metadata.sorted { $0.key < $1.key }.map {
        "\(jsonString($0.key)):\(jsonString($0.value))"
      }
      entries.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
    }
    var offset = 0
    for tensor in tensors {
      let end = offset + 4 * tensor.values.count
      let shape = tensor.shape.map(String.init).joined(separator: ",")
      entries.append(
        "\(jsonString(tensor.name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],"
          + "\"data_offsets\":[\(offset),\(end)]}")
      offset = end
    }
    var header = Array("{\(entries.joined(separator: ","))}".utf8)
    while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
    var data = Data(capacity: 8 + header.count + offset)
    withUnsafeBytes(of: UInt64(header.count).littleEndian) { data.append(contentsOf: $0) }
    data.append(contentsOf: header)
    for tensor in tensors {
      // Little-endian whatever the host: convert each bit pattern.
      let words = tensor.values.map { $0.bitPattern.littleEndian }
      words.withUnsafeBytes { data.append(contentsOf: $0) }
    }
    return data
  }

  /// The tensors (in file order) and metadata of a safetensors file's bytes;
  /// `path` only names the origin in errors. Reads `F32` tensors only.
  public static func decode(_ data: Data, path: String) throws(TrainingError) -> (
    tensors: [Tensor], metadata: [String: String]
  ) {
    func bad(_ reason: String) -> TrainingError {
      TrainingError(.badCheckpoint(path: path, reason: "not a safetensors file: \(reason)"))
    }
    let bytes = [UInt8](data)
    guard bytes.count >= 8 else { throw bad("shorter than its 8-byte header length") }
    var length = 0
    for i in (0..<8).reversed() { length = length << 8 | Int(bytes[i]) }
    guard length >= 2, length <= bytes.count - 8 else {
      throw bad("header length \(length) runs past the end (\(bytes.count) bytes)")
    }
    guard
      let object = try? JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + length)])),
      let header = object as? [String: Any]
    else { throw bad("header is not a JSON object") }
    let base = 8 + length
    var metadata: [String: String] = [:]
    var tensors: [(begin: Int, tensor: Tensor)] = []
    for (name, value) in header {
      if name == "__metadata__" {
        metadata = (value as? [String: String]) ?? [:]
        continue
      }
      guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
        let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int],
        offsets.count == 2
      else { throw bad("tensor '\(name)' lacks dtype, shape or data_offsets") }
      guard dtype == "F32" else { throw bad("tensor '\(name)' is \(dtype); only F32 is read") }
      let (begin, end) = (offsets[0], offsets[1])
      let count = shape.reduce(1, *)
      guard begin >= 0, end - begin == 4 * count, base + end <= bytes.count else {
        throw bad("tensor '\(name)': offsets \(offsets) do not hold shape \(shape)")
      }
      var values = [Float](repeating: 0, count: count)
      for i in 0..<count {
        let at = base + begin + 4 * i
        let word =
          UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16
          | UInt32(bytes[at + 3]) << 24
        values[i] = Float(bitPattern: word)
      }
      tensors.append((begin, Tensor(name: name, shape: shape, values: values)))
    }
    return (tensors.sorted { $0.begin < $1.begin }.map(\.tensor), metadata)
  }
}

/// `text` as a JSON string literal: RunLog's escaper (the one the metrics
/// writer uses), returned rather than appended.
func jsonString(_ text: String) -> String {
  var out = ""
  appendJSONString(text, to: &out)
  return out
}

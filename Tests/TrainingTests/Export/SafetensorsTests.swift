import Foundation
import Testing

@testable import Training

@Suite struct SafetensorsTests {
  let tensors = [
    Safetensors.Tensor(name: "a.weight", shape: [2, 3], values: [1, -2, 0.5, 0, -0.0, 3e-40]),
    Safetensors.Tensor(name: "b\"q", shape: [1], values: [.greatestFiniteMagnitude]),
  ]

  @Test func layoutIsLengthHeaderThenLittleEndianData() throws {
    let data = [UInt8](Safetensors.encode(tensors, metadata: ["format": "pt"]))
    let length = Int(data[0]) | Int(data[1]) << 8 | Int(data[2]) << 16 | Int(data[3]) << 24
    #expect(data[4..<8].allSatisfy { $0 == 0 })
    // Padded so the data starts 8-byte aligned.
    #expect(length % 8 == 0)
    #expect(data.count == 8 + length + 4 * 7)
    let header = try #require(
      try JSONSerialization.jsonObject(with: Data(data[8..<(8 + length)])) as? [String: Any])
    let a = try #require(header["a.weight"] as? [String: Any])
    #expect(a["dtype"] as? String == "F32")
    #expect(a["shape"] as? [Int] == [2, 3])
    #expect(a["data_offsets"] as? [Int] == [0, 24])
    #expect((header["b\"q"] as? [String: Any])?["data_offsets"] as? [Int] == [24, 28])
    #expect(header["__metadata__"] as? [String: String] == ["format": "pt"])
    // 1.0f is 0x3F800000, stored low byte first; -2.0f is 0xC0000000.
    #expect(Array(data[(8 + length)..<(8 + length + 8)]) == [0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0])
  }

  @Test func decodeGivesTheTensorsBackBitForBit() throws {
    let back = try Safetensors.decode(Safetensors.encode(tensors), path: "x.safetensors")
    #expect(back.tensors.map(\.name) == ["a.weight", "b\"q"])
    #expect(back.tensors[0].shape == [2, 3])
    #expect(
      back.tensors.flatMap(\.values).map(\.bitPattern)
        == tensors.flatMap(\.values).map(\.bitPattern))
    #expect(back.metadata.isEmpty)
  }

  @Test func badBytesAreRefusedNamingTheFile() {
    let cases: [Data] = [
      Data([1, 2, 3]),
      Data([200, 0, 0, 0, 0, 0, 0, 0]) + Data("{}".utf8),
      Data([2, 0, 0, 0, 0, 0, 0, 0]) + Data("[]".utf8),
    ]
    for bytes in cases {
      #expect {
        try Safetensors.decode(bytes, path: "/tmp/m.safetensors")
      } throws: { error in
        "\(error)".hasPrefix("/tmp/m.safetensors: bad checkpoint: not a safetensors file")
      }
    }
  }
}

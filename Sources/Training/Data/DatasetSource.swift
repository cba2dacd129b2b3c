import Foundation

/// Resolves a `--data NAME|FILE` argument to a dataset.
///
/// A built-in name (`math`, `math-low-edit`, `math-high-edit`) is generated
/// from the seed; anything else is read as a JSONL file. A file is split into
/// train and held-out by a stable hash of each row's prompt (one prompt in
/// `MathData.heldOutModulus` held out), so rows sharing a prompt stay on one
/// side; when that leaves no held-out rows and the file has two or more
/// distinct prompts, the prompt with the smallest hash is held out.
public enum DatasetSource {
  /// A supervised dataset: built-in (preference sets give their chosen
  /// solutions) or an SFT JSONL file.
  public static func sft(
    _ spec: String, trainCount: Int = BuiltinDataset.defaultTrainCount,
    heldOutCount: Int = BuiltinDataset.defaultHeldOutCount, seed: UInt64 = 0
  ) throws -> SFTDataset {
    if let builtin = BuiltinDataset(rawValue: spec) {
      return builtin.sftDataset(trainCount: trainCount, heldOutCount: heldOutCount, seed: seed)
    }
    try requireFile(spec)
    let rows = try SFTJSONL.load(path: spec)
    let (train, heldOut) = split(rows, prompt: \.prompt)
    return SFTDataset(name: fileName(spec), train: train, heldOut: heldOut)
  }

  /// A preference dataset: built-in (`math-low-edit`, `math-high-edit`) or a
  /// TRL-format JSONL file.
  public static func preferences(
    _ spec: String, trainCount: Int = BuiltinDataset.defaultTrainCount,
    heldOutCount: Int = BuiltinDataset.defaultHeldOutCount, seed: UInt64 = 0
  ) throws -> PreferenceDataset {
    if let builtin = BuiltinDataset(rawValue: spec) {
      return try builtin.preferenceDataset(
        trainCount: trainCount, heldOutCount: heldOutCount, seed: seed)
    }
    try requireFile(spec)
    let rows = try PreferenceJSONL.load(path: spec)
    let (train, heldOut) = split(rows, prompt: \.prompt)
    return PreferenceDataset(name: fileName(spec), train: train, heldOut: heldOut)
  }

  /// Splits rows by a stable hash of their prompt (see the type's documentation).
  static func split<Row>(_ rows: [Row], prompt: (Row) -> String) -> (train: [Row], heldOut: [Row]) {
    let hashes = rows.map { StableHash.fnv1a64(prompt($0)) }
    var isHeldOut = hashes.map { $0 % MathData.heldOutModulus == 0 }
    if !isHeldOut.contains(true), Set(hashes).count >= 2, let smallest = hashes.min() {
      isHeldOut = hashes.map { $0 == smallest }
    }
    var train: [Row] = []
    var heldOut: [Row] = []
    for (row, held) in zip(rows, isHeldOut) {
      if held { heldOut.append(row) } else { train.append(row) }
    }
    return (train, heldOut)
  }

  private static func requireFile(_ spec: String) throws {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: spec, isDirectory: &isDirectory) else {
      let names = BuiltinDataset.allCases.map(\.rawValue).joined(separator: ", ")
      throw DataError(.unknownDataset(name: spec), hint: "built-in datasets: \(names)")
    }
    if isDirectory.boolValue {
      throw DataError(.unreadable(path: spec, reason: "is a directory, not a JSONL file"))
    }
  }

  private static func fileName(_ path: String) -> String {
    URL(fileURLWithPath: path).lastPathComponent
  }
}

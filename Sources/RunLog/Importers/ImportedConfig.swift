import Foundation

/// The training configuration an importer could find for a run trained elsewhere.
///
/// Sources, later ones filling only what earlier ones left empty: JSON files
/// in the output directory (`args.json`, `training_args.json`, `config.json`;
/// TRL's `training_args.bin` is a pickle and is never read), HF Trainer's
/// `args` text summary in the event files, the TensorBoard hparams plugin,
/// and `trainer_state.json` (`max_steps`, `train_batch_size`).
public struct ImportedConfig: Sendable, Equatable {
  public var beta: Double?
  /// TRL's `loss_type` as written (`sigmoid`, `ipo`, `hinge`, ...).
  public var lossType: String?
  public var learningRate: Double?
  public var maxSteps: Int?
  public var batchSize: Int?
  public var seed: Int?
  /// `dpop_lambda` of dpotop's TRL integration (`integrations/trl`), as written:
  /// every run of a `--preset trl` sweep gets one; only `dpop` reads it (`lambda`).
  public var dpopLambda: Double?
  /// Where each value came from, for the run-detail screen.
  public var origins: [String] = []

  /// An empty configuration.
  public init() {}

  /// The dpotop objective for the loss type (`sigmoid` → `dpo`, `hinge` → `slic`,
  /// `ipo` → `ipo`, others as written); `dpo` when only β is known (TRL's default loss).
  public var objective: String? {
    switch lossType {
    case "sigmoid"?: return "dpo"
    case "hinge"?: return "slic"
    case let t?: return t
    case nil: return beta != nil ? "dpo" : nil
    }
  }

  /// DPO-Positive's λ: `dpop_lambda` when the objective is `dpop`, else nil
  /// (a DPO run of the integration carries the option but has no penalty).
  public var lambda: Double? { objective == "dpop" ? dpopLambda : nil }

  /// Fills empty fields from a flat `name → value` lookup (args JSON or hparams).
  mutating func fill(origin: String, _ value: (String) -> LenientJSON?) {
    var used = false
    func take<T>(_ field: inout T?, _ names: [String], _ convert: (LenientJSON) -> T?) {
      guard field == nil else { return }
      for n in names {
        if let v = value(n).flatMap(convert) {
          field = v
          used = true
          return
        }
      }
    }
    let number: (LenientJSON) -> Double? = { j in
      if case .string(let s) = j { return Double(s) }
      return j.number
    }
    let int: (LenientJSON) -> Int? = { j in number(j).flatMap(exactInt) }
    take(&beta, ["beta"], number)
    take(&lossType, ["loss_type"]) { j -> String? in
      if case .array(let items) = j {
        let names = items.compactMap(\.string)
        return names.isEmpty ? nil : names.joined(separator: "+")
      }
      return j.string
    }
    take(&learningRate, ["learning_rate", "lr"], number)
    take(&maxSteps, ["max_steps"]) { j in int(j).flatMap { $0 > 0 ? $0 : nil } }
    take(&batchSize, ["per_device_train_batch_size", "train_batch_size", "batch_size"], int)
    take(&seed, ["seed"], int)
    take(&dpopLambda, ["dpop_lambda"], number)
    if used { origins.append(origin) }
  }

  /// Fills empty fields from a JSON object's members.
  mutating func fill(origin: String, json: LenientJSON) {
    guard case .object = json else { return }
    fill(origin: origin) { json[$0] }
  }

  /// Fills empty fields from hparams plugin values.
  mutating func fill(origin: String, hparams: [String: HParamValue]) {
    fill(origin: origin) { name in
      switch hparams[name] {
      case .number(let v)?: return .number(v)
      case .string(let s)?: return .string(s)
      case .bool(let b)?: return .bool(b)
      case nil: return nil
      }
    }
  }

  /// The manifest of a run an importer found: what the importer knows of the
  /// run itself and this configuration. Every importer (CSV, metrics file,
  /// TRL, W&B) builds its manifest here, so a configuration field reaches all.
  func manifest(
    id: String, name: String, createdAt: Double, trainer: String, status: RunStatus,
    updatedAt: Double?
  ) -> RunManifest {
    var m = RunManifest(
      id: id, name: name, createdAt: createdAt, trainer: trainer, status: status)
    fillEmpty(&m)
    m.updatedAt = updatedAt
    return m
  }

  /// Fills what `m` leaves empty (dpotop's own manifest wins over an imported
  /// configuration; a new one has nothing yet).
  func fillEmpty(_ m: inout RunManifest) {
    m.objective = m.objective ?? objective
    m.beta = m.beta ?? beta
    m.lambda = m.lambda ?? lambda
    m.learningRate = m.learningRate ?? learningRate
    m.plannedSteps = m.plannedSteps ?? maxSteps
    m.batchSize = m.batchSize ?? batchSize
    m.seed = m.seed ?? seed
  }

  /// Fills empty fields from JSON config files in `dir`.
  mutating func fill(directory dir: String) {
    for name in ["args.json", "training_args.json", "config.json"] {
      let path = join(dir, name)
      guard let stamp = FileStamp.of(path), stamp.size < 16 << 20,
        let data = try? readWholeFile(path),
        let json = try? LenientJSON.parse([UInt8](data))
      else { continue }
      fill(origin: name, json: json)
    }
  }
}

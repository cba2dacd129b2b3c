/// How metric names written by other trainers map onto dpotop's keys and splits.
///
/// TRL's DPOTrainer already uses our names (`rewards/chosen`, `logps/chosen`,
/// ...), so most keys pass through; what changes is where the split lives:
/// TensorBoard tags carry it as a `train/` or `eval/` prefix (HF Trainer's
/// TensorBoard callback), `trainer_state.json` and CSV columns as an `eval_`
/// prefix on eval keys. A few HF names are renamed to ours (`learning_rate` → `lr`).
public enum ImportedNames {
  /// Keys of series an importer derives rather than reads (docs/importers.md).
  public enum Derived {
    /// Chosen log-ratio log πθ(yw|x) − log πref(yw|x) = rewards/chosen ÷ β.
    public static let logRatioChosen = "derived/logratio_chosen"
    /// Rejected log-ratio = rewards/rejected ÷ β.
    public static let logRatioRejected = "derived/logratio_rejected"
  }

  /// HF/TRL names that have a different dpotop name.
  static let renames: [String: String] = [
    "learning_rate": MetricKey.learningRate
  ]

  /// The split and key of a TensorBoard tag (`train/rewards/chosen` → train,
  /// `rewards/chosen`; `eval/loss` → eval, `loss`); tags without a known
  /// prefix stay whole in the train split.
  public static func fromTag(_ tag: String) -> (split: Split, key: String) {
    if tag.hasPrefix("train/") { return (.train, rename(String(tag.dropFirst(6)))) }
    if tag.hasPrefix("eval/") { return (.eval, rename(String(tag.dropFirst(5)))) }
    return fromFlatKey(tag)
  }

  /// The split and key of a `trainer_state.json` / CSV / JSONL key
  /// (`eval_rewards/margins` → eval, `rewards/margins`).
  public static func fromFlatKey(_ key: String) -> (split: Split, key: String) {
    if key.hasPrefix("eval_") { return (.eval, rename(String(key.dropFirst(5)))) }
    if key.hasPrefix("eval/") { return (.eval, rename(String(key.dropFirst(5)))) }
    if key.hasPrefix("train/") { return (.train, rename(String(key.dropFirst(6)))) }
    return (.train, rename(key))
  }

  static func rename(_ key: String) -> String { renames[key] ?? key }
}

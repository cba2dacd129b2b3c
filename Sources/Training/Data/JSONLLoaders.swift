import Foundation

/// Loads supervised rows from JSONL: each line an object with a `prompt`
/// string and a `completion` string (or, for preference files reused for SFT,
/// a `chosen` string). Other fields are ignored.
public enum SFTJSONL {
  /// The rows of the file at `path`.
  public static func load(path: String) throws -> [TextExample] {
    try parse(JSONLRows.read(path: path), path: path)
  }

  /// The rows of `data`; `path` names the source in errors.
  public static func parse(_ data: Data, path: String) throws -> [TextExample] {
    try JSONLRows.parse(data, path: path) { row in
      let prompt = try JSONLRows.string("prompt", in: row, path: path)
      if row.object["completion"] == nil && row.object["chosen"] == nil {
        throw DataError(
          .missingField(path: path, line: row.line, field: "completion"),
          hint: "an SFT row needs \"prompt\" and \"completion\" (or \"chosen\") strings")
      }
      let field = row.object["completion"] != nil ? "completion" : "chosen"
      let completion = try JSONLRows.string(field, in: row, path: path)
      return TextExample(
        prompt: prompt, completion: completion, answer: MathData.finalAnswer(in: completion))
    }
  }
}

/// Loads preference pairs from JSONL in TRL's standard (non-conversational)
/// format: each line an object with `prompt`, `chosen` and `rejected` strings.
public enum PreferenceJSONL {
  /// The pairs of the file at `path`.
  public static func load(path: String) throws -> [PreferencePair] {
    try parse(JSONLRows.read(path: path), path: path)
  }

  /// The pairs of `data`; `path` names the source in errors.
  public static func parse(_ data: Data, path: String) throws -> [PreferencePair] {
    try JSONLRows.parse(data, path: path) { row in
      let prompt = try JSONLRows.string("prompt", in: row, path: path)
      let chosen = try JSONLRows.string("chosen", in: row, path: path)
      let rejected = try JSONLRows.string("rejected", in: row, path: path)
      return PreferencePair(
        prompt: prompt, chosen: chosen, rejected: rejected,
        answer: MathData.finalAnswer(in: chosen))
    }
  }
}

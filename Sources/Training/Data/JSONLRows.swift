import Foundation

/// Splits a JSONL file into JSON objects, reporting the first bad line.
///
/// Lines are separated by `\n` (a trailing `\r` is dropped, so CRLF files
/// work); blank lines are skipped; a UTF-8 byte-order mark at the start is
/// ignored. Line numbers are 1-based, as an editor shows them.
enum JSONLRows {
  /// One parsed line: its number and its object.
  struct Row {
    let line: Int
    let object: [String: Any]
  }

  /// Each row converted by `convert`, in file order, or the error for the
  /// first bad line (a line that is not a JSON object or that `convert`
  /// rejects), or `DataError.empty` when there are no rows.
  static func parse<T>(_ data: Data, path: String, convert: (Row) throws -> T) throws -> [T] {
    var rows: [T] = []
    var lineNumber = 0
    var start = data.startIndex
    while start < data.endIndex {
      lineNumber += 1
      let end = data[start...].firstIndex(of: 0x0A) ?? data.endIndex
      var line = data[start..<end]
      start = end < data.endIndex ? data.index(after: end) : end
      if line.last == 0x0D { line = line.dropLast() }
      if lineNumber == 1 && line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
      if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
      guard String(validating: line, as: UTF8.self) != nil else {
        throw DataError(.invalidUTF8(path: path, line: lineNumber))
      }
      let value: Any
      do {
        value = try JSONSerialization.jsonObject(with: Data(line), options: [.fragmentsAllowed])
      } catch {
        throw DataError(
          .badRow(path: path, line: lineNumber, reason: "not valid JSON"),
          hint: "each line must be one JSON object, e.g. {\"prompt\": \"...\", ...}")
      }
      guard let object = value as? [String: Any] else {
        throw DataError(
          .badRow(
            path: path, line: lineNumber, reason: "expected a JSON object, found \(typeName(value))"
          ))
      }
      rows.append(try convert(Row(line: lineNumber, object: object)))
    }
    guard !rows.isEmpty else { throw DataError(.empty(path: path)) }
    return rows
  }

  /// The value of a required, non-empty string field.
  static func string(_ field: String, in row: Row, path: String) throws -> String {
    guard let value = row.object[field], !(value is NSNull) else {
      throw DataError(.missingField(path: path, line: row.line, field: field))
    }
    guard let text = value as? String, !isNumber(value) else {
      throw DataError(
        .badField(
          path: path, line: row.line, field: field,
          reason: "expected a string, found \(typeName(value))"),
        hint: value is [Any]
          ? "conversational (message list) rows are not supported; use plain strings" : nil)
    }
    guard !text.isEmpty else {
      throw DataError(.badField(path: path, line: row.line, field: field, reason: "empty string"))
    }
    return text
  }

  /// Reads a whole file, turning I/O failures into `DataError.unreadable`.
  static func read(path: String) throws -> Data {
    do {
      return try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      let reason = (error as NSError).localizedFailureReason ?? "no such file or unreadable"
      throw DataError(.unreadable(path: path, reason: reason))
    }
  }

  /// Whether a bridged JSON value is a number or boolean (NSNumber).
  private static func isNumber(_ value: Any) -> Bool { value is NSNumber }

  /// The JSON type name of a parsed value, for error messages.
  static func typeName(_ value: Any) -> String {
    switch value {
    case is NSNull: return "null"
    case is String: return "a string"
    case is NSNumber: return "a number or boolean"
    case is [Any]: return "an array"
    case is [String: Any]: return "an object"
    default: return "an unsupported value"
    }
  }
}

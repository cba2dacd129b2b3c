/// Checks that names which become file names cannot leave their directory.
///
/// Run names come from the form, the command line and from `sweep.json`,
/// which anyone can edit; a run directory is always `sweepDir/<name>`, so a
/// name must be one plain path component.
public enum SafeName {
  /// The longest name most filesystems allow (bytes).
  public static let maxBytes = 255

  /// Throws unless `name` is a single, printable, non-hidden path component.
  public static func check(_ name: String, field: String = "name") throws(SweepError) {
    guard !name.isEmpty else { throw SweepError(field: field, "is empty") }
    guard name.utf8.count <= maxBytes else {
      throw SweepError(field: field, "is longer than \(maxBytes) bytes")
    }
    guard name != ".", name != "..", !name.hasPrefix(".") else {
      throw SweepError(field: field, "'\(sanitizeForMessage(name))' may not start with '.'")
    }
    guard !name.contains("/") else {
      throw SweepError(field: field, "'\(sanitizeForMessage(name))' may not contain '/'")
    }
    try checkPrintable(name, field: field)
  }

  /// Throws unless `path` is a usable directory path: printable, no empty
  /// string, each component within the filesystem's limit. Absolute paths are
  /// allowed here because the user chose them on their own command line.
  public static func checkPath(_ path: String, field: String = "out") throws(SweepError) {
    guard !path.isEmpty else { throw SweepError(field: field, "needs a directory path") }
    try checkPrintable(path, field: field)
    for part in path.split(separator: "/") where part.utf8.count > maxBytes {
      throw SweepError(field: field, "a path component is longer than \(maxBytes) bytes")
    }
  }

  private static func checkPrintable(_ s: String, field: String) throws(SweepError) {
    for u in s.unicodeScalars {
      let v = u.value
      if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) || (0x202A...0x202E).contains(v)
        || (0x2066...0x2069).contains(v)
      {
        throw SweepError(field: field, "contains a control character (U+\(String(v, radix: 16)))")
      }
    }
  }
}

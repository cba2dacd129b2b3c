import Foundation
import RunLog

/// The directory an export writes into: created when missing, used when
/// empty, refused when it holds anything unless `force` (then the files the
/// export writes replace theirs; other files are left where they are).
enum ExportDirectory {
  /// Makes `path` ready for an export, or throws naming it.
  static func prepare(_ path: String, force: Bool) throws(TrainingError) {
    var isDirectory: ObjCBool = false
    let fm = FileManager.default
    if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else {
        throw TrainingError(.badRunDirectory(path: path, reason: "exists and is not a directory"))
      }
      let entries = (try? fm.contentsOfDirectory(atPath: path)) ?? []
      if !entries.isEmpty, !force {
        throw TrainingError(
          .badRunDirectory(
            path: path, reason: "exists and is not empty"),
          hint: "choose a new directory, or pass --force to write over the export's files in it")
      }
      return
    }
    do {
      try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
      throw TrainingError(
        .writeFailed(path: path, reason: "cannot create directory: \(error.localizedDescription)"))
    }
  }

  /// Writes `data` to `name` in `directory`, atomically.
  static func write(_ data: Data, _ name: String, in directory: String) throws(TrainingError) {
    let path = (directory as NSString).appendingPathComponent(name)
    do {
      try writeFileAtomically(path, data)
    } catch {
      throw TrainingError(writeFailure: error, path: path)
    }
  }

  /// Writes `text` (UTF-8) to `name` in `directory`, atomically.
  static func write(_ text: String, _ name: String, in directory: String) throws(TrainingError) {
    try write(Data(text.utf8), name, in: directory)
  }
}

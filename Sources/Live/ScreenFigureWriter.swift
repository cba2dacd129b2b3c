import Dashboard
import Foundation

/// Writes the figures the dashboard's `e` key asks for into
/// `./dpotop-figures/` and says where, for the status line.
public enum ScreenFigureWriter {
  /// The directory figures go to, under the current directory.
  public static let directory = "dpotop-figures"

  /// Writes `files`; the notice to show (where they are, or what failed).
  public static func write(
    _ files: [FigureFile], in base: String = FileManager.default.currentDirectoryPath
  )
    -> String
  {
    let dir = base + "/" + directory
    do {
      try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
      for file in files {
        try Data(file.svg.utf8).write(
          to: URL(fileURLWithPath: dir + "/" + file.name), options: .atomic)
      }
    } catch {
      return "figures: cannot write to \(dir): \(error.localizedDescription)"
    }
    let s = files.count == 1 ? "" : "s"
    return "wrote \(files.count) figure\(s) to \(dir)/: "
      + files.map(\.name).joined(separator: " ")
  }
}

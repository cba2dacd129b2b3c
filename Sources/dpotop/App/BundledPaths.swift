import Foundation

/// Finds files that ship with dpotop (`themes/`, `sample-runs/`) wherever it
/// runs from: an install prefix, the build directory, or the source tree.
enum BundledPaths {
  /// The first existing directory named `name` among the usual places, or nil.
  ///
  /// Looked for, in order: beside the executable and in each of its parent
  /// directories (this covers `.build/debug/dpotop` in a checkout), in
  /// `<prefix>/share/dpotop/`, in the current directory, and in the source
  /// tree this binary was built from.
  static func directory(_ name: String) -> String? {
    for candidate in candidates(name) where isDirectory(candidate) {
      return candidate
    }
    return nil
  }

  static func candidates(_ name: String) -> [String] {
    var out: [String] = []
    if let exe = executablePath() {
      var dir = (exe as NSString).deletingLastPathComponent
      for _ in 0..<6 {
        out.append(dir + "/" + name)
        out.append(dir + "/share/dpotop/" + name)
        let parent = (dir as NSString).deletingLastPathComponent
        if parent == dir { break }
        dir = parent
      }
    }
    out.append(FileManager.default.currentDirectoryPath + "/" + name)
    // Sources/dpotop/App/BundledPaths.swift → the checkout's root.
    let source = URL(fileURLWithPath: #filePath)
    let root = source.deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    out.append(root.path + "/" + name)
    return out
  }

  /// The running executable's path (Linux: /proc/self/exe).
  static func executablePath() -> String? {
    if let p = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      return p
    }
    return CommandLine.arguments.first.map { URL(fileURLWithPath: $0).standardized.path }
  }

  /// True when `path` is a directory.
  static func isDirectory(_ path: String) -> Bool {
    var isDir: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
  }
}

import Dashboard
import Foundation
import RunLog

/// The themes a user can pick: the built-in one, the bundled `themes/*.theme`
/// files, and the user's own in `$XDG_CONFIG_HOME/dpotop/themes` (default
/// `~/.config/dpotop/themes`), which win over bundled ones of the same name.
struct ThemeLibrary {
  /// Directories searched, user's first.
  let directories: [String]

  /// The library for this environment.
  static func standard(environment: [String: String] = ProcessInfo.processInfo.environment)
    -> ThemeLibrary
  {
    var dirs: [String] = []
    if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
      dirs.append(xdg + "/dpotop/themes")
    } else if let home = environment["HOME"], !home.isEmpty {
      dirs.append(home + "/.config/dpotop/themes")
    }
    if let bundled = BundledPaths.directory("themes") { dirs.append(bundled) }
    return ThemeLibrary(directories: dirs)
  }

  /// Every theme name available, sorted, the built-in one included.
  func names() -> [String] {
    var names: Set<String> = [Theme.builtin.name]
    for dir in directories {
      let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
      for f in files where f.hasSuffix(".theme") { names.insert(String(f.dropLast(6))) }
    }
    return names.sorted()
  }

  /// A loaded theme and the warnings its file produced.
  struct Loaded {
    var theme: Theme
    var warnings: [String]
  }

  /// Loads theme `name` (a name from `names()`, or a path to a `.theme` file).
  func load(_ name: String) throws(ThemeLoadError) -> Loaded {
    var path: String?
    if name.contains("/") || name.hasSuffix(".theme") {
      path = name
    } else {
      guard !name.isEmpty, !name.hasPrefix(".") else {
        throw ThemeLoadError("'\(name)' is not a theme name")
      }
      path = directories.map { $0 + "/" + name + ".theme" }.first {
        FileManager.default.fileExists(atPath: $0)
      }
    }
    guard let path else {
      if name == Theme.builtin.name { return Loaded(theme: .builtin, warnings: []) }
      throw ThemeLoadError(
        "no theme named '\(name)'; available: \(names().joined(separator: ", "))"
          + " (searched \(directories.joined(separator: ", ")))")
    }
    guard let data = try? readWholeFile(path) else {
      throw ThemeLoadError("cannot read theme file \(path)")
    }
    guard data.count <= 1 << 20 else { throw ThemeLoadError("\(path): larger than 1 MB") }
    let text = String(decoding: data, as: UTF8.self)
    let themeName = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    do {
      let result = try ThemeParser.parse(text, path: path, name: themeName)
      return Loaded(theme: result.theme, warnings: result.warnings.map(\.description))
    } catch {
      throw ThemeLoadError(error.description)
    }
  }
}

/// Why a theme could not be loaded, for a person.
struct ThemeLoadError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

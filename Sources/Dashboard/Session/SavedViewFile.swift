import Foundation

/// The file a `SavedView` lives in: `$XDG_STATE_HOME/dpotop/` (default
/// `~/.local/state/dpotop/`), one file per set of watched directories,
/// named for the last of them and a hash of all.
///
/// Nothing here is fatal: a missing file is a fresh start, a corrupt or
/// foreign one is reported once and ignored, and a directory that cannot be
/// written (read-only, full) only means the view is not kept. The only I/O
/// in the Dashboard target; `update` and `render` never call it.
public struct SavedViewFile: Sendable {
  /// Largest file read: a view is a few hundred bytes.
  static let maxBytes = 1 << 20

  /// The directory holding the files.
  public let directory: String
  /// The watched directories, absolute and sorted.
  public let roots: [String]

  public init(directory: String, roots: [String]) {
    self.directory = directory
    self.roots = roots.sorted()
  }

  /// `$XDG_STATE_HOME/dpotop`, else `$HOME/.local/state/dpotop` (nil
  /// without either: no view is kept).
  public static func directory(environment: [String: String]) -> String? {
    if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") { return xdg + "/dpotop" }
    guard let home = environment["HOME"], !home.isEmpty else { return nil }
    return home + "/.local/state/dpotop"
  }

  /// The file for these roots.
  public var path: String {
    let last = roots.last.map { ($0 as NSString).lastPathComponent } ?? "runs"
    let name = String(
      last.unicodeScalars.map { s in
        s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "-" || s == "_"
          ? Character(s) : "_"
      }.prefix(40))
    return directory + "/" + (name.isEmpty ? "runs" : name) + "-" + Self.hash(roots) + ".json"
  }

  /// FNV-1a over the roots: stable across runs and platforms (Swift's
  /// `Hasher` is seeded per process).
  static func hash(_ roots: [String]) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in roots.joined(separator: "\n").utf8 {
      h = (h ^ UInt64(byte)) &* 0x100_0000_01b3
    }
    let hex = String(h, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }

  /// What `load` found.
  public enum Loaded: Sendable, Equatable {
    /// No file: start as always.
    case none
    case view(SavedView)
    /// A file that is not a view of ours for these roots: why, for one notice.
    case ignored(String)
  }

  public func load() -> Loaded {
    guard let handle = FileHandle(forReadingAtPath: path) else { return .none }
    defer { try? handle.close() }
    let data = (try? handle.read(upToCount: Self.maxBytes + 1)) ?? Data()
    let shown = path
    guard data.count <= Self.maxBytes else {
      return .ignored("saved view ignored (too large): \(shown)")
    }
    guard let view = try? JSONDecoder().decode(SavedView.self, from: data) else {
      return .ignored("saved view ignored (unreadable, corrupt?): \(shown)")
    }
    guard view.format == SavedView.formatName else {
      return .ignored("saved view ignored (not a dpotop view): \(shown)")
    }
    guard view.version <= SavedView.currentVersion else {
      return .ignored("saved view ignored (made by a newer dpotop): \(shown)")
    }
    guard view.roots.sorted() == roots else {
      return .ignored("saved view ignored (made for other directories): \(shown)")
    }
    return .view(view)
  }

  /// Writes `view` (atomically: a crash mid-write leaves the old file);
  /// returns why it could not, or nil.
  public func save(_ view: SavedView) -> String? {
    do {
      try FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true)
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      var data = try encoder.encode(view)
      data.append(0x0A)
      try data.write(to: URL(fileURLWithPath: path), options: .atomic)
      return nil
    } catch {
      return "the view was not saved to \(directory): \(error.localizedDescription)"
    }
  }
}

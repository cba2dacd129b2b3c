import Training

/// What `dpotop --version` prints: the version and what the build runs on.
enum BuildInfo {
  /// The architecture this binary was compiled for.
  static var architecture: String {
    #if arch(x86_64)
      return "x86_64"
    #elseif arch(arm64)
      return "aarch64"
    #else
      return "unknown"
    #endif
  }

  /// The operating system this binary was compiled for.
  static var system: String {
    #if os(Linux)
      return "linux"
    #elseif os(macOS)
      return "macos"
    #else
      return "unknown"
    #endif
  }

  /// `dpotop 0.1.0` and a line per fact about the build (one `key: value` each).
  static var versionText: String {
    let lines = [
      "dpotop \(DpoTop.version)",
      "platform: \(system)-\(architecture)",
      // The trainer's CPU requirements and the kernel path chosen here (#20).
      KernelPath.describe(),
    ]
    return lines.joined(separator: "\n")
  }
}

import Foundation

/// Runs a short-lived helper program (sbatch, squeue, scancel) from an argv
/// array and captures its output. Never through a shell.
public enum CommandRunner {
  /// What a finished command printed and how it exited.
  public struct Output: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    /// An outcome (a real one, or a recorded one standing in for sbatch in tests).
    public init(status: Int32, stdout: String, stderr: String) {
      self.status = status
      self.stdout = stdout
      self.stderr = stderr
    }
  }

  /// Runs `argv` (argv[0] looked up on PATH when it has no slash) to completion.
  public static func run(_ argv: [String]) throws(SweepError) -> Output {
    guard let name = argv.first else { throw SweepError("nothing to run") }
    guard let exe = name.contains("/") ? name : which(name) else {
      throw SweepError("\(name): command not found", hint: "is it installed and on PATH?")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: exe)
    process.arguments = Array(argv.dropFirst())
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      throw SweepError("cannot run \(name): \(error.localizedDescription)")
    }
    // Read both pipes to the end before waiting, so a chatty command cannot block.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Output(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }

  /// The full path of `name` on PATH, if any.
  public static func which(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for dir in path.split(separator: ":") {
      let candidate = "\(dir)/\(name)"
      if access(candidate, X_OK) == 0 { return candidate }
    }
    return nil
  }
}

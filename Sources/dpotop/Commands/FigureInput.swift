import Dashboard
import Foundation
import RunLog

/// What `plot` and `report` share on the command line: loading the runs
/// under PATHs into a headless dashboard state, the theme, and writing the
/// output file with an error that names it.
enum FigureInput {
  /// Every run under `paths` (and its probes), read whole as `render` reads
  /// them; exits naming the path when one does not exist or holds no run.
  static func load(_ paths: [String], ssh: String?, command: String) -> DashboardState {
    var state = DashboardState.forFigures()
    for path in RemoteRoots.localPaths(paths, sshOption: ssh) {
      guard FileManager.default.fileExists(atPath: path) else {
        fail("no such file or directory: \(path)", hint: "see 'dpotop \(command) --help'")
      }
      let sources = RunDiscovery.sources(under: path)
      guard !sources.isEmpty else {
        fail(
          "no runs found under \(path)",
          hint:
            "give run directories, a sweep, or a directory of runs (see 'dpotop \(command) --help')"
        )
      }
      for source in sources {
        RenderCommand.load(source, into: &state)
        let reader = ProbesReader(run: RunDirectory(path: source.id))
        if (try? reader.poll()) != nil, !reader.log.records.isEmpty {
          state.addProbes(id: source.id, log: reader.log)
        }
      }
    }
    return state
  }

  /// The theme called `name` (`light`, `dark`, any installed theme or a
  /// `.theme` file), or exit naming the option.
  static func theme(_ name: String) -> Theme {
    do {
      return try ThemeLibrary.standard().load(name).theme
    } catch {
      fail("--theme: \(error.description)")
    }
  }

  /// Writes `text` to `path` (`-`: standard output) through a temporary
  /// file renamed into place (a reader never sees half a figure), or exits
  /// naming the option, the file and the system's reason.
  static func write(_ text: String, to path: String, option: String = "--out") {
    if path == "-" {
      FileHandle.standardOutput.write(Data(text.utf8))
      return
    }
    let temp = path + ".tmp-\(getpid())"
    func failWrite(_ what: String) -> Never {
      let reason = String(cString: strerror(errno))
      unlink(temp)
      fail("\(option): cannot write \(path): \(what)\(reason)")
    }
    let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { failWrite("") }
    let bytes = Array(text.utf8)
    var done = 0
    while done < bytes.count {
      let n = bytes[done...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else {
        close(fd)
        failWrite("")
      }
      done += n
    }
    guard close(fd) == 0 else { failWrite("") }
    guard rename(temp, path) == 0 else { failWrite("renaming \(temp): ") }
  }

  /// `WxH` in pixels, each within 100...4000.
  static func pixels(_ text: String) throws(OptionError) -> (Int, Int) {
    let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
    guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]) else {
      throw OptionError("--size: '\(text)' is not WIDTHxHEIGHT in pixels (like 640x400)")
    }
    guard (100...4000).contains(w), (100...4000).contains(h) else {
      throw OptionError("--size: \(w)x\(h) is outside 100x100...4000x4000")
    }
    return (w, h)
  }
}

import Dashboard
import Foundation
import Remote
import Terminal

/// The default command: `dpotop [PATH...] [OPTIONS]` opens the dashboard.
enum DashboardCommand {
  static let options = Options(
    valued: ["theme", "poll-ms", "ssh"],
    flags: ["ascii", "utf8", "replay", "no-color", "list-themes"])

  static var command: Command {
    Command(
      name: "dashboard", summary: "the live dashboard (the default: 'dpotop [PATH...]')",
      help: help, run: run)
  }

  /// `dpotop watch DIR`: the same dashboard, named for users of runs trained
  /// elsewhere (TRL / Hugging Face output directories, TensorBoard event
  /// files, W&B run files, CSV logs are found under DIR as well as dpotop's
  /// own runs).
  static var watchCommand: Command {
    Command(
      name: "watch",
      summary: "the dashboard on DIR: TRL, TensorBoard, W&B, CSV and dpotop runs, live",
      help: help, run: run)
  }

  static let help = """
    USAGE: dpotop [PATH...] [--theme NAME] [--ascii] [--replay] [--no-color] [--poll-ms N]
           dpotop watch PATH... [same options]
           dpotop watch [user@]host:PATH [--ssh CMD] [same options]

    Opens the dashboard on every run found under PATH (run directories, or
    directories holding runs, searched 4 levels deep). New runs show up as they
    are created; appended metrics within about 100 ms. Besides dpotop's own run
    directories it reads runs trained elsewhere: TRL / Hugging Face Trainer
    output directories (runs/*/events.out.tfevents.*, checkpoint-*/trainer_state.json),
    TensorBoard event files, W&B run files (wandb/[offline-]run-*/run-*.wandb)
    and CSV logs (docs/importers.md).

    With no PATH: ./runs if it exists, else the sample runs bundled with dpotop
    (the status line says which).

    OPTIONS:
      --theme NAME    colour theme: a name from --list-themes or a path to a
                      .theme file (default: dark, built in). Themes are read from
                      $XDG_CONFIG_HOME/dpotop/themes (default ~/.config/dpotop/themes)
                      and the bundled themes/ directory. Format: docs/themes.md.
      --list-themes   print the available themes and where they are searched, then exit
      --ascii         ASCII charts and boxes instead of braille (automatic when the
                      locale is not UTF-8)
      --utf8          braille and box drawing even when the locale is not UTF-8
                      (for a terminal that shows UTF-8 anyway)
      --replay        start in replay mode (play the runs back from step 0)
      --no-color      no colour (also when NO_COLOR is set and not empty)
      --poll-ms N     milliseconds between polls of each run, 10...1000 (default: 50);
                      where inotify works, changes are seen at once and the timer
                      polls every max(N, 250) ms as a safety net

    REMOTE: [user@]host:PATH (a colon before any slash, as with scp) watches runs
    on another machine over your own ssh: your ~/.ssh/config, keys, agent and
    ProxyJump apply, ssh asks for a passphrase before the screen starts, and one
    connection is kept open. The far side needs only sh, find, ls, tail and head;
    nothing is installed or written there. Only appended bytes travel; a dropped
    link shows "disconnected, retrying" and resumes where it stopped. The remote
    view is read-only (no cancel, resume or new sweep). docs/remote.md.
      --ssh CMD       the command that reaches the host, split like a shell line
                      (default: $DPOTOP_SSH, else ssh), as rsync's -e:
                      --ssh 'ssh -p 2222 -i ~/.ssh/gpu_key'

    KEYS: press ? in the dashboard for the full list; q or Ctrl-C quits.
    """

  static func run(_ args: [String]) -> Int32 {
    let parsed: Options.Parsed
    do {
      parsed = try options.parse(args)
    } catch {
      fail(error.description, hint: "see 'dpotop --help'")
    }
    let library = ThemeLibrary.standard()
    if parsed.flag("list-themes") {
      print(library.names().joined(separator: "\n"))
      print("(searched: \(library.directories.joined(separator: ", ")), plus the built-in dark)")
      return 0
    }
    let pollMs: Int
    do {
      pollMs = try parsed.int("poll-ms", default: 50, in: 10...1000)
    } catch {
      fail(error.description)
    }
    var theme = Theme.builtin
    var warnings: [String] = []
    if let name = parsed.string("theme") {
      do {
        let loaded = try library.load(name)
        theme = loaded.theme
        warnings = loaded.warnings
      } catch {
        fail("--theme: \(error.description)")
      }
    }
    if parsed.flag("utf8"), !parsed.flag("ascii") { GlyphRule.forceUTF8Locale() }
    let remoteArgs = parsed.positional.filter { RemoteTarget.parse($0) != nil }
    let remotes = remoteArgs.compactMap(RemoteTarget.parse).map {
      RemoteRoots.open($0, sshOption: parsed.string("ssh"))
    }
    var (roots, description) = resolveRoots(parsed.positional.filter { !remoteArgs.contains($0) })
    if !remotes.isEmpty {
      let local = parsed.positional.count > remoteArgs.count ? roots : []
      roots = local + remotes.map(\.mirror.localRoot)
      description = parsed.positional.joined(separator: " ")
    }
    let environment = ProcessInfo.processInfo.environment
    let noColor = parsed.flag("no-color") || !(environment["NO_COLOR"] ?? "").isEmpty
    let appOptions = AppOptions(
      roots: roots, rootsDescription: description, theme: theme, library: library,
      ascii: parsed.flag("ascii"), utf8: parsed.flag("utf8"), noColor: noColor,
      replay: parsed.flag("replay"),
      pollInterval: Double(pollMs) / 1000, remotes: remotes)
    return MainActor.assumeIsolated {
      let app = App(options: appOptions)
      let status: Int32
      do throws(TerminalError) {
        status = try app.run()
      } catch {
        fail(error.description)
      }
      for note in warnings + app.notes {
        FileHandle.standardError.write(Data("dpotop: \(note)\n".utf8))
      }
      return status
    }
  }

  /// The directories to watch and how the status line names them.
  static func resolveRoots(_ paths: [String]) -> ([String], String) {
    if !paths.isEmpty {
      for p in paths where !FileManager.default.fileExists(atPath: p) {
        fail("no such file or directory: \(p)")
      }
      return (paths, paths.joined(separator: " "))
    }
    if BundledPaths.isDirectory("runs") { return (["runs"], "./runs") }
    if let samples = BundledPaths.directory("sample-runs") {
      return ([samples], "bundled sample runs (\(samples))")
    }
    return (["runs"], "./runs (none yet)")
  }
}

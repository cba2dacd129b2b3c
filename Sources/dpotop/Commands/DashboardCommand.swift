import Dashboard
import Foundation
import Remote
import Terminal

/// The default command: `dpotop [PATH...] [OPTIONS]` opens the dashboard.
enum DashboardCommand {
  /// The options, declared once: the parser and the help come from these.
  static let options: [OptionSpec] = [
    .value(
      "theme", "NAME",
      "colour theme: a name from --list-themes or a path to a .theme file (default: dark, built in). Themes are read from $XDG_CONFIG_HOME/dpotop/themes (default ~/.config/dpotop/themes) and the bundled themes/ directory. Format: docs/themes.md."
    ),
    .flag("list-themes", "print the available themes and where they are searched, then exit"),
    .flag(
      "ascii", "ASCII charts and boxes instead of braille (automatic when the locale is not UTF-8)"),
    .flag(
      "utf8",
      "braille and box drawing even when the locale is not UTF-8 (for a terminal that shows UTF-8 anyway)"
    ),
    .flag("replay", "start in replay mode (play the runs back from step 0)"),
    .flag("no-color", "no colour (also when NO_COLOR is set and not empty)"),
    .flag(
      "no-mouse",
      "leave the mouse to the terminal (select and paste text). By default, where the terminal reports the mouse (xterm, tmux with 'set -g mouse on', screen): click a run to move the cursor there, its mark column to mark it, a chart to focus it; the wheel zooms the steps around the pointer, a drag pans them"
    ),
    .flag(
      "fresh",
      "start clean: not from the view saved for these directories. Marks, collapsed sweeps, filters, the screen and its key filter, x axis, smoothing and theme are saved on quit under $XDG_STATE_HOME/dpotop (default ~/.local/state/dpotop), one file per set of watched directories, and restored next time"
    ),
    .value(
      "poll-ms", "N",
      "milliseconds between polls of each run, 10...1000 (default: 50); where inotify works, changes are seen at once and the timer polls every max(N, 250) ms as a safety net"
    ),
    .value(
      "ssh", "CMD", "for [user@]host:PATH arguments: the ssh command",
      default: "$DPOTOP_SSH, else ssh"),
  ]

  static var command: Command {
    Command(
      name: "dashboard", summary: "the live dashboard (the default: 'dpotop [PATH...]')",
      help: help, options: options, run: run)
  }

  /// `dpotop watch DIR`: the same dashboard, named for users of runs trained
  /// elsewhere (TRL / Hugging Face output directories, TensorBoard event
  /// files, W&B run files, CSV logs are found under DIR as well as dpotop's
  /// own runs).
  static var watchCommand: Command {
    Command(
      name: "watch",
      summary: "the dashboard on DIR: TRL, TensorBoard, W&B, CSV and dpotop runs, live",
      help: help, options: options, run: run)
  }

  static let help = """
    USAGE: dpotop [PATH...] [--theme NAME] [--ascii] [--replay] [--no-color] [--no-mouse]
                  [--fresh] [--poll-ms N]
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
    \(OptionSpec.helpSection(options))

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
    let parsed = parsingArguments(help: "") { () throws(OptionError) in
      try Options(options).parse(args)
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
    var (viewFile, savedView, viewNotice) = loadView(parsed)
    if parsed.string("theme") == nil, let name = savedView?.theme,
      let loaded = try? library.load(name)
    {
      theme = loaded.theme
    }
    // The theme is the one loaded above (or --theme): the state starts on it.
    savedView?.theme = nil
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
      replay: parsed.flag("replay"), mouse: !parsed.flag("no-mouse"),
      pollInterval: Double(pollMs) / 1000, remotes: remotes, viewFile: viewFile,
      savedView: savedView, viewNotice: viewNotice)
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

  /// The saved-view file for the paths on the command line (absolute; a
  /// remote one as written), and what it holds unless `--fresh`.
  static func loadView(_ parsed: Options.Parsed) -> (SavedViewFile?, SavedView?, String?) {
    let environment = ProcessInfo.processInfo.environment
    guard let directory = SavedViewFile.directory(environment: environment) else {
      return (nil, nil, nil)
    }
    let paths = parsed.positional.isEmpty ? resolveRoots([]).0 : parsed.positional
    let cwd = FileManager.default.currentDirectoryPath
    let roots = paths.map { path in
      if RemoteTarget.parse(path) != nil { return path }
      if path.hasPrefix("/") { return (path as NSString).standardizingPath }
      return ((cwd as NSString).appendingPathComponent(path) as NSString).standardizingPath
    }
    let file = SavedViewFile(directory: directory, roots: roots)
    if parsed.flag("fresh") { return (file, nil, nil) }
    switch file.load() {
    case .none: return (file, nil, nil)
    case .view(let view): return (file, view, nil)
    case .ignored(let why): return (file, nil, why)
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

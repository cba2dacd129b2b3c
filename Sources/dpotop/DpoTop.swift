import Foundation
import Remote

/// Entry point: `dpotop [COMMAND] [ARGS...]`.
///
/// Subcommands are hand-rolled (no package dependencies); each lives in
/// `Commands/<Name>Command.swift` and registers itself in `commands` below.
@main
struct DpoTop {
  /// Every subcommand, in the order `--help` lists them.
  static let commands: [Command] = [
    DashboardCommand.command,
    DashboardCommand.watchCommand,
    SummaryCommand.command,
    RenderCommand.command,
    PlotCommand.command,
    ReportCommand.command,
    SweepCommand.command,
    CancelCommand.command,
    ResumeCommand.command,
    ReproduceCommand.command,
    TrainCommand.command,
    ExportCommand.command,
  ]

  static func main() {
    MemoryTuning.apply()
    var args = BenchAlias.rewrite(Array(CommandLine.arguments.dropFirst()))
    if args.first == "--help" || args.first == "-h" || args.first == "help" {
      if args.count > 1, let command = commands.first(where: { $0.name == args[1] }) {
        print(command.help)
      } else {
        print(usage)
      }
      exit(0)
    }
    if args.first == "--version" {
      print(BuildInfo.versionText)
      exit(0)
    }
    guard let name = args.first, let command = commands.first(where: { $0.name == name }) else {
      // Not a command: the dashboard on the given paths (the default command).
      if let name = args.first, !name.hasPrefix("-"), !FileManager.default.fileExists(atPath: name),
        RemoteTarget.parse(name) == nil
      {
        fail("unknown command '\(name)'", hint: "see 'dpotop --help'")
      }
      if args.contains("--help") || args.contains("-h") {
        print(DashboardCommand.help)
        exit(0)
      }
      exit(DashboardCommand.run(args))
    }
    args.removeFirst()
    if args.contains("--help") || args.contains("-h") {
      print(command.helpFor(args))
      exit(0)
    }
    exit(command.run(args))
  }

  static let version = "0.1.0"

  static var usage: String {
    var text = """
      dpotop \(version): a terminal dashboard for DPO / DPO-Positive training runs

      USAGE: dpotop [PATH...] [OPTIONS]     the dashboard (see 'dpotop dashboard --help')
             dpotop COMMAND [OPTIONS]

      COMMANDS:

      """
    for command in commands {
      text +=
        "  " + command.name.padding(toLength: 10, withPad: " ", startingAt: 0)
        + command.summary + "\n"
    }
    text += "\nRun 'dpotop COMMAND --help' for a command's options."
    return text
  }
}

/// A subcommand: its name, a one-line summary, its full help and its body.
struct Command: Sendable {
  let name: String
  let summary: String
  let help: String
  /// The options it declares (their help is part of `help`).
  let options: [OptionSpec]
  /// Runs with the arguments after the command name; returns the exit status.
  let run: @Sendable ([String]) -> Int32
  /// The help to print for `--help` given with these arguments (after the
  /// command name): `help`, unless the command has sub-commands with their own
  /// (`bench NAME --help`).
  var helpFor: @Sendable ([String]) -> String

  init(
    name: String, summary: String, help: String, options: [OptionSpec] = [],
    run: @escaping @Sendable ([String]) -> Int32,
    helpFor: (@Sendable ([String]) -> String)? = nil
  ) {
    self.name = name
    self.summary = summary
    self.help = help
    self.options = options
    self.run = run
    self.helpFor = helpFor ?? { _ in help }
  }
}

/// Prints `message` (and a hint) to stderr and exits with status 2.
func fail(_ message: String, hint: String? = nil, status: Int32 = 2) -> Never {
  var text = "dpotop: \(message)\n"
  if let hint { text += "  hint: \(hint)\n" }
  FileHandle.standardError.write(Data(text.utf8))
  exit(status)
}

import Foundation
import Testing

@testable import dpotop

/// Issue 27 item 4: every option is declared once (`OptionSpec`), and both
/// a command's parser and the OPTIONS section of its `--help` are made from
/// the declarations, so they cannot disagree.
@Suite struct OptionHelpTests {
  /// Every command and export with its own help.
  static var commands: [Command] { DpoTop.commands + ExportCommand.subcommands }

  /// The option names an OPTIONS section lists, in order (its lines that
  /// start with `  --name`, up to the first blank line).
  static func listed(_ help: String) -> [String] {
    guard let start = help.range(of: "\nOPTIONS:\n") else { return [] }
    var names: [String] = []
    for line in help[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
      if line.isEmpty { break }
      guard line.hasPrefix("  --") else { continue }
      names.append(String(line.dropFirst(4).prefix { $0 != " " }))
    }
    return names
  }

  @Test func everyDeclaredOptionIsInTheHelpAndNothingElse() {
    for command in Self.commands {
      #expect(Self.listed(command.help) == command.options.map(\.name), "\(command.name)")
    }
    #expect(Self.listed(DpoTop.commands[0].help).contains("ssh"))
  }

  @Test func theParserAcceptsExactlyTheDeclaredOptions() {
    for command in Self.commands {
      let parser = Options(command.options)
      #expect(parser.names == Set(command.options.map(\.name)), "\(command.name)")
      for spec in command.options {
        let args = spec.kind == .flag ? ["--" + spec.name] : ["--" + spec.name, "x"]
        #expect((try? parser.parse(args)) != nil, "\(command.name) --\(spec.name)")
      }
      #expect((try? parser.parse(["--not-declared"])) == nil)
    }
  }

  /// No command builds a parser from hand-written name sets (the way help
  /// and parser used to drift apart).
  @Test func everyParserComesFromDeclarations() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let dir = root.appendingPathComponent("Sources/dpotop").path
    let files = try FileManager.default.subpathsOfDirectory(atPath: dir)
    var offenders: [String] = []
    for file in files where file.hasSuffix(".swift") {
      let text = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
      if file != "OptionSpec.swift", text.contains("Options(valued:") { offenders.append(file) }
    }
    #expect(offenders.isEmpty)
  }

  @Test func theOptionsSectionIsAlignedAndWrapped() {
    let specs: [OptionSpec] = [
      .flag("all", "mark every run", default: "the first run only"),
      .value("size", "WxH", "screen size in cells, as wide as the terminal allows"),
      .value("backend", "NAME", "where runs train:\n  local  here\n  slurm  sbatch"),
    ]
    #expect(
      OptionSpec.helpSection(specs, width: 40) == """
          --all           mark every run
                          (default: the first
                          run only)
          --size WxH      screen size in cells,
                          as wide as the
                          terminal allows
          --backend NAME  where runs train:
                            local  here
                            slurm  sbatch
        """)
  }
}

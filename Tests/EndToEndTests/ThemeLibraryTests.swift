import Dashboard
import Foundation
import Testing

@testable import dpotop

@Suite struct ThemeLibraryTests {
  @Test func userThemesWinAndBundledOnesAreFound() throws {
    let home = try Fixtures.tempDir("themes")
    defer { try? FileManager.default.removeItem(atPath: home) }
    let userDir = home + "/dpotop/themes"
    try FileManager.default.createDirectory(atPath: userDir, withIntermediateDirectories: true)
    try "theme[title]=\"#010203\"\n".write(
      toFile: userDir + "/light.theme", atomically: true, encoding: .utf8)
    try "theme[axes]=\"#FFFFFF\"\n".write(
      toFile: userDir + "/mine.theme", atomically: true, encoding: .utf8)
    let library = ThemeLibrary.standard(environment: ["XDG_CONFIG_HOME": home])
    #expect(library.directories.first == userDir)
    let names = library.names()
    for name in ["dark", "light", "high-contrast", "mine"] { #expect(names.contains(name)) }

    // The user's light.theme shadows the bundled one; the rest falls back to the built-in.
    let light = try library.load("light")
    #expect(light.theme.colors[.title]?.rgb == 0x010203)
    #expect(light.theme.colors[.axis] == Theme.builtin.colors[.axis])
    // The bundled high-contrast theme has its own background.
    #expect(try library.load("high-contrast").theme.colors[.background]?.rgb == 0x000000)
    // Unknown keys load with a warning naming file, line and key.
    let mine = try library.load("mine")
    #expect(mine.warnings == ["\(userDir)/mine.theme:1: theme[axes]: unknown key, ignored"])
  }

  @Test func errorsSayWhatIsWrong() throws {
    let dir = try Fixtures.tempDir("themes-bad")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try "# x\ntheme[title]=\"#12345\"\n".write(
      toFile: dir + "/bad.theme", atomically: true, encoding: .utf8)
    let library = ThemeLibrary(directories: [dir])
    #expect(throws: ThemeLoadError.self) { try library.load("nope") }
    do {
      _ = try library.load("bad")
      Issue.record("bad theme loaded")
    } catch {
      #expect(
        error.description.hasPrefix("\(dir)/bad.theme:2: theme[title]: '#12345' is not a colour"))
    }
    do {
      _ = try library.load("nope")
    } catch {
      #expect(error.description.hasPrefix("no theme named 'nope'; available: bad, dark"))
    }
    // The built-in theme needs no file.
    #expect(try library.load("dark").theme == Theme.builtin)
  }
}

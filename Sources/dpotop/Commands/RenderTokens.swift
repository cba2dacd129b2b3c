import Dashboard
import RunLog

/// `dpotop render --screen tokens [--probe N]`: what the token view needs
/// on top of the main screen's messages (the key that opens it, reading the
/// probes, picking the probe).
struct RenderTokens {
  /// The screen asked for.
  let screen: String
  /// The probe (`pair` value) asked for.
  let probe: Int?
  /// `--detail` was given (its Enter is already sent).
  private let detailFlag: Bool

  init(_ parsed: Options.Parsed) throws(OptionError) {
    detailFlag = parsed.flag("detail")
    screen = parsed.string("screen") ?? (detailFlag ? "detail" : "main")
    guard ["main", "detail", "tokens", "metrics"].contains(screen) else {
      throw OptionError("--screen: '\(screen)' is not main, detail, tokens or metrics")
    }
    probe = try parsed.string("probe").map { text throws(OptionError) in
      guard let v = Int(text), v >= 0 else {
        throw OptionError("--probe: '\(text)' is not a probe index (a whole number >= 0)")
      }
      return v
    }
    if probe != nil, screen != "tokens" {
      throw OptionError("--probe: only with --screen tokens")
    }
  }

  /// The keys that open the screen (after the main screen's).
  var messages: [Msg] {
    switch screen {
    case "detail": return detailFlag ? [] : [.key(.enter)]
    case "tokens": return [.key(.char("w"))]
    case "metrics": return [.key(.char("M"))]
    default: return []
    }
  }

  /// Reads the probes of run `id` whole and shows the asked-for probe.
  func load(_ id: String, into state: inout DashboardState) {
    let reader = ProbesReader(run: RunDirectory(path: id))
    _ = try? reader.poll()
    _ = update(&state, .probes(id: id, log: reader.log))
    guard let probe else { return }
    guard let position = reader.log.pairs.firstIndex(of: probe) else {
      let known = reader.log.pairs.map(String.init).joined(separator: ", ")
      fail(
        "--probe: \(id) has no probe \(probe)"
          + (known.isEmpty ? " (it logged no probes)" : " (probes: \(known))"))
    }
    for _ in 0..<position { _ = update(&state, .key(.down)) }
  }
}

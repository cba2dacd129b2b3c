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

  /// Shows the asked-for probe of run `id`, whose probes the state was
  /// just given (`.probes`, read by the effect runner).
  func select(_ id: String, in state: inout DashboardState) {
    guard let probe else { return }
    let pairs = state.run(id)?.probes?.pairs ?? []
    guard let position = pairs.firstIndex(of: probe) else {
      let known = pairs.map(String.init).joined(separator: ", ")
      fail(
        "--probe: \(id) has no probe \(probe)"
          + (known.isEmpty ? " (it logged no probes)" : " (probes: \(known))"))
    }
    for _ in 0..<position { _ = update(&state, .key(.down)) }
  }
}

import Dashboard

/// `dpotop render --screen metrics [--keys REGEX] [--columns N]`: the key
/// filter typed as a user would (after `M` opens the screen) and the
/// column count the screen starts with.
struct RenderMetrics {
  let keys: String?
  let columns: Int?

  init(_ parsed: Options.Parsed) throws(OptionError) {
    keys = parsed.string("keys")
    columns = try parsed.string("columns").map { text throws(OptionError) in
      guard let v = Int(text), (1...8).contains(v) else {
        throw OptionError("--columns: '\(text)' is not a column count from 1 to 8")
      }
      return v
    }
    let metrics = parsed.string("screen") == "metrics"
    if keys != nil, !metrics { throw OptionError("--keys: only with --screen metrics") }
    if columns != nil, !metrics { throw OptionError("--columns: only with --screen metrics") }
  }

  /// `/`, the filter's characters and Enter (sent after the screen is open).
  var messages: [Msg] {
    guard let keys, !keys.isEmpty else { return [] }
    return [.key(.char("/"))] + keys.map { Msg.key(.char($0)) } + [.key(.enter)]
  }
}

/// An argv template for running any trainer: everything after `--` on
/// `dpotop sweep --backend command`, with placeholders replaced per run.
///
/// Substitution happens inside each token and never joins tokens, so a value
/// with spaces or quotes stays one argument and nothing is ever seen by a
/// shell. `{{` and `}}` stand for literal braces.
public struct CommandTemplate: Sendable, Equatable, Codable {
  /// The placeholders a template may use.
  public static let placeholders = [
    "objective", "beta", "lambda", "seed", "steps", "lr", "out", "run_name",
  ]

  /// The template tokens, as given.
  public var tokens: [String]
  /// dpotop objective → the target trainer's name for it (`dpo` → `sigmoid`).
  /// Empty: objectives are passed through unchanged.
  public var objectiveMap: [String: String]

  /// Parses and checks a template: it must name a program and use only known placeholders.
  public init(tokens: [String], objectiveMap: [String: String] = [:]) throws(SweepError) {
    guard let first = tokens.first, !first.isEmpty else {
      throw SweepError(
        field: "command", "the command template is empty", hint: "put the trainer's argv after --")
    }
    for token in tokens {
      _ = try Self.substitute(
        token, values: Dictionary(uniqueKeysWithValues: Self.placeholders.map { ($0, "") }))
    }
    self.tokens = tokens
    self.objectiveMap = objectiveMap
  }

  /// Parses `dpo=sigmoid,ipo=ipo` into a map.
  public static func parseMap(_ text: String) throws(SweepError) -> [String: String] {
    var map: [String: String] = [:]
    for item in text.split(separator: ",") {
      let parts = item.split(separator: "=", maxSplits: 1).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
        throw SweepError(
          field: "objective-map", "'\(sanitizeForMessage(String(item)))' is not NAME=TARGET")
      }
      guard SweepSpec.knownObjectives.contains(parts[0]) else {
        throw SweepError(
          field: "objective-map", "unknown objective '\(sanitizeForMessage(parts[0]))'")
      }
      map[parts[0]] = parts[1]
    }
    return map
  }

  /// Refuses objectives the map cannot translate, before anything starts.
  public func check(objectives: [String]) throws(SweepError) {
    guard !objectiveMap.isEmpty else { return }
    for o in objectives where objectiveMap[o] == nil {
      throw SweepError(
        field: "objectives", "'\(o)' has no mapping in --objective-map",
        hint: "mapped: \(objectiveMap.keys.sorted().joined(separator: ", "))")
    }
  }

  /// The argv for one run.
  public func argv(for run: SweepManifest.Run, spec: SweepSpec, runDir: String) throws(SweepError)
    -> [String]
  {
    let objective =
      objectiveMap.isEmpty ? run.objective : (objectiveMap[run.objective] ?? run.objective)
    let values = [
      "objective": objective, "beta": formatNumber(run.beta), "lambda": formatNumber(spec.lambda),
      "seed": String(run.seed), "steps": String(spec.steps), "lr": formatNumber(spec.learningRate),
      "out": runDir, "run_name": run.name,
    ]
    var out: [String] = []
    for token in tokens { out.append(try Self.substitute(token, values: values)) }
    return out
  }

  /// Replaces `{name}` in one token; `{{`/`}}` are literal braces.
  static func substitute(_ token: String, values: [String: String]) throws(SweepError) -> String {
    var out = ""
    var i = token.startIndex
    while i < token.endIndex {
      let c = token[i]
      let next = token.index(after: i)
      if c == "{", next < token.endIndex, token[next] == "{" {
        out.append("{")
        i = token.index(after: next)
      } else if c == "}", next < token.endIndex, token[next] == "}" {
        out.append("}")
        i = token.index(after: next)
      } else if c == "{" {
        guard let close = token[next...].firstIndex(of: "}") else {
          throw SweepError(field: "command", "unclosed '{' in '\(sanitizeForMessage(token))'")
        }
        let name = String(token[next..<close])
        guard let value = values[name] else {
          throw SweepError(
            field: "command", "unknown placeholder {\(sanitizeForMessage(name))}",
            hint: "known: " + placeholders.map { "{\($0)}" }.joined(separator: " "))
        }
        out += value
        i = token.index(after: close)
      } else if c == "}" {
        throw SweepError(
          field: "command", "stray '}' in '\(sanitizeForMessage(token))' (write }} for a brace)")
      } else {
        out.append(c)
        i = next
      }
    }
    return out
  }
}

extension CommandTemplate {
  /// The program the TRL preset runs: `trl dpo` wrapped by dpotop's TRL
  /// integration (`pip install ./integrations/trl`), which adds the
  /// `dpop` loss type, `--dpop_lambda` and the probes callback.
  public static let trlProgram = "dpotop-trl-dpo"

  /// dpotop objective → `--loss_type` of the TRL preset: TRL's own names for
  /// DPO, IPO and SLiC, the integration's `dpop` for DPO-Positive.
  public static let trlObjectiveMap = [
    "dpo": "sigmoid", "dpop": "dpop", "ipo": "ipo", "slic": "hinge",
  ]

  /// TRL's `trl dpo` command line through dpotop's integration, with the
  /// options that differ per run filled from placeholders; the user appends
  /// the model and dataset. `--dpop_lambda` is passed to every run (only
  /// `dpop` reads it); every objective dpotop knows has a loss type.
  public static func trlPreset(extra: [String]) throws(SweepError) -> CommandTemplate {
    try CommandTemplate(
      tokens: [
        trlProgram, "--beta", "{beta}", "--loss_type", "{objective}", "--dpop_lambda", "{lambda}",
        "--output_dir", "{out}", "--max_steps", "{steps}", "--learning_rate", "{lr}",
        "--seed", "{seed}", "--run_name", "{run_name}", "--logging_steps", "1",
        "--report_to", "tensorboard",
      ] + extra,
      objectiveMap: trlObjectiveMap)
  }
}

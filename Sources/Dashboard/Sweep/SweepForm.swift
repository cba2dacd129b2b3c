import Sweeps

/// The "new sweep" form (key `n`): one text field per sweep option plus
/// the backend and, for Slurm, extra sbatch options; prefilled with the
/// defaults and validated as the user types.
///
/// Validation is `SweepLaunch.set` and `SweepLaunch.validate`, the same code
/// `dpotop sweep` uses for its options, so the form can never launch
/// something the command line would refuse. The form only *asks* for a
/// launch; creating the directory and starting the supervisor or submitting
/// the jobs happen outside, and a failure there (the directory exists,
/// sbatch is missing) comes back through `launchFailed`.
public struct SweepForm: Sendable, Equatable {
  /// The longest text (UTF-8 bytes) a field keeps; a bigger paste is cut and flagged.
  public static let maxFieldLength = 4096

  /// The fields in display order.
  public static let fields = SweepLaunch.Field.allCases

  /// Backends the form offers. `command` needs an argv template, which is
  /// typed on the command line where the shell already splits it.
  public static let formBackends: [SweepBackend] = [.local, .slurm]

  /// The refusal for backend `command` in the form.
  static let commandRefusal =
    "command needs an argv template: use 'dpotop sweep --backend command --out DIR -- ARGV...'"

  /// Text as typed, per field.
  public private(set) var texts: [SweepLaunch.Field: String]
  /// Why a field's text is refused (absent when it is valid).
  public private(set) var errors: [SweepLaunch.Field: String] = [:]
  /// The focused field.
  public private(set) var focus = 0
  /// A message for the whole form (launch refused, launch failed).
  public private(set) var message: String?
  /// The launch built from the valid fields (what Enter would start).
  public private(set) var launch: SweepLaunch

  /// What a key press asks of the dashboard.
  public enum Outcome: Sendable, Equatable {
    case none
    /// Close the form without launching.
    case close
    /// Launch this sweep.
    case launch(SweepLaunch)
  }

  /// A form prefilled with `launch`'s values (the defaults, or the last sweep's).
  public init(_ launch: SweepLaunch = SweepLaunch()) {
    self.launch = launch
    var texts: [SweepLaunch.Field: String] = [:]
    for f in Self.fields { texts[f] = launch.text(f) }
    self.texts = texts
  }

  /// Why Enter would refuse the combination of valid fields (sbatch options
  /// with backend local, ...), so the form says it before Enter is pressed.
  public var combinationProblem: String? {
    do {
      try launch.validate()
      return nil
    } catch {
      return error.field.map { "\($0): \(error.message)" } ?? error.message
    }
  }

  /// The focused field.
  public var focusedField: SweepLaunch.Field { Self.fields[focus] }

  /// Handles one key.
  public mutating func handle(_ key: Key) -> Outcome {
    switch key {
    case .escape:
      return .close
    case .tab, .down:
      focus = (focus + 1) % Self.fields.count
    case .backTab, .up:
      focus = (focus + Self.fields.count - 1) % Self.fields.count
    case .enter:
      return tryLaunch()
    case .backspace:
      var text = texts[focusedField] ?? ""
      if !text.isEmpty { text.removeLast() }
      edit(text)
    case .ctrl("u"):
      edit("")
    case .char(let c):
      guard c.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
        return .none
      }
      let text = texts[focusedField] ?? ""
      guard text.utf8.count + c.utf8.count <= Self.maxFieldLength else {
        message = "\(focusedField.rawValue): at most \(Self.maxFieldLength) bytes"
        return .none
      }
      edit(text + String(c))
    default:
      break
    }
    return .none
  }

  /// Records that launching failed outside the form (shown until the next edit).
  public mutating func launchFailed(_ why: String) {
    message = why
  }

  private mutating func edit(_ text: String) {
    let field = focusedField
    texts[field] = text
    message = nil
    var candidate = launch
    do {
      try candidate.set(field, text)
      if field == .backend, !Self.formBackends.contains(candidate.backend) {
        errors[field] = Self.commandRefusal
        return
      }
      launch = candidate
      errors[field] = nil
    } catch {
      errors[field] = error.message
    }
  }

  private mutating func tryLaunch() -> Outcome {
    if let bad = Self.fields.first(where: { errors[$0] != nil }) {
      focus = Self.fields.firstIndex(of: bad) ?? focus
      message = "fix \(bad.rawValue) first: \(errors[bad] ?? "")"
      return .none
    }
    do {
      try launch.validate()
    } catch {
      // Point at the field the combination is refused for (slurm args with a local backend).
      if let name = error.field, let field = SweepLaunch.Field(rawValue: name),
        let i = Self.fields.firstIndex(of: field)
      {
        focus = i
      }
      message = error.field.map { "\($0): \(error.message)" } ?? error.message
      return .none
    }
    return .launch(launch)
  }
}

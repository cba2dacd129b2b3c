import Sweeps

/// The "new sweep" form (key `n`): one text field per sweep option,
/// prefilled with the defaults and validated as the user types.
///
/// Validation is `SweepSpec.set`, the same code `dpotop sweep` uses for its
/// options, so the form can never launch something the command line would
/// refuse. The form only *asks* for a launch; creating the directory and
/// starting the supervisor happen outside, and a failure there (the
/// directory exists) comes back through `launchFailed`.
public struct SweepForm: Sendable, Equatable {
  /// The longest text (UTF-8 bytes) a field keeps; a bigger paste is cut and flagged.
  public static let maxFieldLength = 4096

  /// The fields in display order.
  public static let fields = SweepSpec.Field.allCases

  /// Text as typed, per field.
  public private(set) var texts: [SweepSpec.Field: String]
  /// Why a field's text is refused (absent when it is valid).
  public private(set) var errors: [SweepSpec.Field: String] = [:]
  /// The focused field.
  public private(set) var focus = 0
  /// A message for the whole form (launch refused, launch failed).
  public private(set) var message: String?
  /// The spec built from the valid fields (what a launch would use).
  public private(set) var spec: SweepSpec

  /// What a key press asks of the dashboard.
  public enum Outcome: Sendable, Equatable {
    case none
    /// Close the form without launching.
    case close
    /// Launch this spec.
    case launch(SweepSpec)
  }

  /// A form prefilled with `spec`'s values (the defaults, or the last sweep's).
  public init(_ spec: SweepSpec = SweepSpec()) {
    self.spec = spec
    var texts: [SweepSpec.Field: String] = [:]
    for f in Self.fields { texts[f] = spec.text(f) }
    self.texts = texts
  }

  /// The focused field.
  public var focusedField: SweepSpec.Field { Self.fields[focus] }

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
      return launch()
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
    var candidate = spec
    do {
      try candidate.set(field, text)
      spec = candidate
      errors[field] = nil
    } catch {
      errors[field] = error.message
    }
  }

  private mutating func launch() -> Outcome {
    if let bad = Self.fields.first(where: { errors[$0] != nil }) {
      focus = Self.fields.firstIndex(of: bad) ?? focus
      message = "fix \(bad.rawValue) first: \(errors[bad] ?? "")"
      return .none
    }
    do {
      try spec.validate()
    } catch {
      message = error.description
      return .none
    }
    return .launch(spec)
  }
}

/// The latest summary value of each W&B key, its JSON text kept unparsed.
///
/// W&B writes a summary record after every history row, repeating every key:
/// a million numbers of which only the last per key is ever read. A short
/// `value_json` (any number fits) is copied into the key's fixed slot and
/// parsed only when `value(_:)` asks; a longer one (an object, a string) is
/// parsed at once, so memory stays fixed per key.
struct WandbSummaryValues {
  /// Bytes of JSON a slot holds.
  static let slotSize = 32

  /// One key's latest value; one array of these, so a change costs one
  /// uniqueness check.
  private struct Slot {
    /// The number given as such (or parsed from long JSON), nil when none.
    var number: Double?
    /// Length of the JSON text waiting in `text`, 0 when none.
    var length: UInt8 = 0
    /// `slotSize` bytes of JSON text.
    var text: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
  }

  private var slots: [Slot] = []

  /// Keys with a slot (interned key indices `0..<count`).
  var count: Int { slots.count }

  /// Makes room for keys `0..<n`.
  mutating func grow(to n: Int) {
    guard n > slots.count else { return }
    slots += repeatElement(Slot(), count: n - slots.count)
  }

  /// Applies one change of a summary record (its key below `count`).
  mutating func set(_ change: WandbRecordDecoder.SummaryChange) {
    let k = change.key
    slots.withUnsafeMutableBufferPointer { s in
      s[k].number = change.value
      guard let json = change.json, !json.isEmpty else {
        s[k].length = 0
        return
      }
      guard json.count <= Self.slotSize else {
        // As when read at once: the JSON's number, else the number field.
        s[k].number = WandbRecordDecoder.jsonScalar(json) ?? change.value
        s[k].length = 0
        return
      }
      withUnsafeMutableBytes(of: &s[k].text) {
        $0.baseAddress!.copyMemory(from: json.baseAddress!, byteCount: json.count)
      }
      s[k].length = UInt8(json.count)
    }
  }

  /// Key `k`'s numeric value: its JSON's number, else the number given as
  /// such; nil when neither (removed, text, an object).
  func value(_ k: Int) -> Double? {
    let slot = slots[k]
    let n = Int(slot.length)
    guard n > 0 else { return slot.number }
    return withUnsafeBytes(of: slot.text) { text in
      WandbRecordDecoder.jsonScalar(UnsafeRawBufferPointer(rebasing: text[..<n])) ?? slot.number
    }
  }
}

/// The latest summary value of each W&B key, its JSON text kept unparsed.
///
/// W&B writes a summary record after every history row, repeating every key:
/// a million numbers of which only the last per key is ever read. A short
/// `value_json` (any number fits) is copied into the key's fixed slot and
/// parsed only when `value(_:)` asks; a longer one (an object, a string) is
/// parsed at once, so memory stays fixed per key.
struct WandbSummaryValues {
  /// Bytes of JSON a slot holds.
  static let slotSize = 31

  /// Keys with a slot (interned key indices `0..<count`).
  private(set) var count = 0
  /// Per key: the number given as such (or parsed from long JSON), nil when none.
  private var numbers: [Double?] = []
  /// Per key: length of the JSON text waiting in its slot, 0 when none.
  private var jsonLength: [UInt8] = []
  /// `slotSize` bytes per key.
  private var slots: [UInt8] = []

  /// Makes room for keys `0..<n`.
  mutating func grow(to n: Int) {
    guard n > count else { return }
    numbers += repeatElement(nil, count: n - count)
    jsonLength += repeatElement(0, count: n - count)
    slots += repeatElement(0, count: (n - count) * Self.slotSize)
    count = n
  }

  /// Applies one change of a summary record (its key below `count`).
  mutating func set(_ change: WandbRecordDecoder.SummaryChange) {
    let k = change.key
    numbers[k] = change.value
    guard let json = change.json, !json.isEmpty else {
      jsonLength[k] = 0
      return
    }
    guard json.count <= Self.slotSize else {
      // As when read at once: the JSON's number, else the number field.
      numbers[k] = WandbRecordDecoder.jsonScalar(json) ?? change.value
      jsonLength[k] = 0
      return
    }
    slots.withUnsafeMutableBytes { s in
      (s.baseAddress! + k * Self.slotSize).copyMemory(
        from: json.baseAddress!, byteCount: json.count)
    }
    jsonLength[k] = UInt8(json.count)
  }

  /// Key `k`'s numeric value: its JSON's number, else the number given as
  /// such; nil when neither (removed, text, an object).
  func value(_ k: Int) -> Double? {
    let n = Int(jsonLength[k])
    guard n > 0 else { return numbers[k] }
    return slots.withUnsafeBytes { s in
      let json = UnsafeRawBufferPointer(start: s.baseAddress! + k * Self.slotSize, count: n)
      return WandbRecordDecoder.jsonScalar(json) ?? numbers[k]
    }
  }
}

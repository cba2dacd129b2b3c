/// Decodes the protobuf payload of one W&B `Record` (`wandb_internal.proto`)
/// by hand, for the record types dpotop reads; every other type is skipped
/// without being looked into.
///
/// Field numbers (checked against the `wandb_internal_pb2` of wandb 0.31):
/// `Record` { num 1, history 2, summary 3, config 5, run 17, exit 18 };
/// `HistoryRecord` { item 1, step 2 → `HistoryStep.num` 1 };
/// `HistoryItem` / `SummaryItem` / `ConfigItem` { key 1, nested_key 2
/// (repeated: W&B's flattened path, joined here with "."), value_json 16;
/// history items may instead carry integer 5 (sint64) or number 6 (double) };
/// `SummaryRecord` / `ConfigRecord` { update 1, remove 2 };
/// `RunRecord` { run_id 1, project 3, config 4, display_name 8, start_time 17
/// → `Timestamp.seconds` 1 }; `RunExitRecord` { exit_code 1 }.
enum WandbRecordDecoder {
  /// What one record was.
  enum Kind {
    /// A history row, decoded into the caller's row.
    case history
    /// Summary changes, in the caller's `summary` buffer.
    case summary
    /// Config updates (raw `value_json` text) and removals.
    case config(updates: [(key: String, json: [UInt8])], removed: [String])
    /// Run info: id, display name, project, start time and its initial config.
    case run(RunInfo, config: [(key: String, json: [UInt8])])
    /// The run ended with this exit code.
    case exit(code: Int)
    /// A record type dpotop does not read (output, stats, telemetry, ...).
    case other

  }

  /// The `RunRecord` fields dpotop uses.
  struct RunInfo: Equatable {
    var runID: String?
    var displayName: String?
    var project: String?
    var startTime: Double?
  }

  /// One change of a summary record. The value is left as its JSON text
  /// (`json`, pointing into the record's payload: valid only while the
  /// record is handled), because a run writes a summary record after every
  /// row and only the last value of each key is ever asked for: parsing a
  /// million numbers nobody reads was most of a W&B read.
  struct SummaryChange {
    var key: Int
    /// A number given as such (`integer` / `number` fields), when there is one.
    var value: Double?
    /// The `value_json` text, when the change has one; nil with `value` nil: a removal.
    var json: UnsafeRawBufferPointer?
  }

  /// Keys interned up front, whose items are not metrics but the row's envelope.
  static let stepKey = 0
  static let timestampKey = 1
  static let runtimeKey = 2
  static let globalStepKey = 3
  static let reservedKeys = ["_step", "_timestamp", "_runtime", "train/global_step"]

  /// Decodes `payload`; a history row goes into `row` (its keys interned in
  /// `keys`). Nil when the bytes are not a well-formed `Record`.
  static func decode(
    _ payload: UnsafeRawBufferPointer, keys: inout ByteInterner, row: inout WandbRow,
    summary changes: inout [SummaryChange]
  ) -> Kind? {
    var c = ProtoCursor(payload)
    var kind = Kind.other
    while !c.atEnd {
      guard let k = c.key() else { return nil }
      switch (k.field, k.wire) {
      case (2, .bytes):
        guard var s = c.sub(), history(&s, keys: &keys, row: &row) else { return nil }
        kind = .history
      case (3, .bytes):
        guard var s = c.sub(), summary(&s, keys: &keys, into: &changes) else { return nil }
        kind = .summary
      case (5, .bytes):
        guard var s = c.sub(), let (updates, removed) = config(&s) else { return nil }
        kind = .config(updates: updates, removed: removed)
      case (17, .bytes):
        guard var s = c.sub(), let (info, cfg) = run(&s) else { return nil }
        kind = .run(info, config: cfg)
      case (18, .bytes):
        guard var s = c.sub(), let code = exitCode(&s) else { return nil }
        kind = .exit(code: code)
      default:
        guard c.skip(k.wire, field: k.field) else { return nil }
      }
    }
    return kind
  }

  private static func history(
    _ c: inout ProtoCursor, keys: inout ByteInterner, row: inout WandbRow
  ) -> Bool {
    row = WandbRow(items: row.items)
    row.items.removeAll(keepingCapacity: true)
    var stepNum: Int?
    var previous = -1
    while !c.atEnd {
      guard let k = c.key() else { return false }
      switch (k.field, k.wire) {
      case (1, .bytes):
        guard var s = c.sub(), let (key, value, _) = item(&s, keys: &keys, after: previous)
        else { return false }
        previous = key ?? previous
        guard let key, let value else { continue }
        switch key {
        case stepKey: row.loggedStep = exactInt(value)
        case timestampKey: row.time = value
        case runtimeKey: continue
        case globalStepKey: row.globalStep = exactInt(value)
        default: row.items.append(WandbItem(key: key, value: value))
        }
      case (2, .bytes):
        guard var s = c.sub() else { return false }
        while !s.atEnd {
          guard let f = s.key() else { return false }
          if f.field == 1, f.wire == .varint {
            guard let v = s.varint() else { return false }
            stepNum = Int(truncatingIfNeeded: Int64(bitPattern: v))
          } else {
            guard s.skip(f.wire, field: f.field) else { return false }
          }
        }
      default:
        guard c.skip(k.wire, field: k.field) else { return false }
      }
    }
    row.step = stepNum ?? row.loggedStep ?? 0
    return true
  }

  /// One history or summary item: its interned key (nil without one) and its
  /// numeric value (nil for text, booleans, objects: media, tables, histograms).
  /// With `parseJSON` false, a `value_json` is returned unparsed instead.
  private static func item(
    _ c: inout ProtoCursor, keys: inout ByteInterner, after previous: Int,
    parseJSON: Bool = true
  ) -> (Int?, Double?, UnsafeRawBufferPointer?)? {
    var key: UnsafeRawBufferPointer?
    // A nested key of several parts is joined with "." (W&B's flattened name).
    var parts = 0
    var joined: [UInt8] = []
    var value: Double?
    var json: UnsafeRawBufferPointer?
    if let (k, j) = simpleItem(c.remaining) {
      // The shape W&B writes for every item: read at once, nothing left.
      key = k
      json = j
      c.i = c.end
    }
    while !c.atEnd {
      guard let k = c.key() else { return nil }
      switch (k.field, k.wire) {
      case (1, .bytes):
        guard let s = c.sub() else { return nil }
        key = s.remaining
      case (2, .bytes):
        guard let s = c.sub() else { return nil }
        parts += 1
        if parts == 1 {
          key = s.remaining
        } else {
          if parts == 2, let first = key { joined = Array(first) }
          joined.append(UInt8(ascii: "."))
          joined.append(contentsOf: s.remaining)
        }
      case (5, .varint):
        guard let v = c.varint() else { return nil }
        // sint64: zigzag.
        value = Double(Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1))))
      case (6, .fixed64):
        guard let bits = c.fixed64() else { return nil }
        value = Double(bitPattern: bits)
      case (16, .bytes):
        guard let s = c.sub() else { return nil }
        json = s.remaining
      default:
        guard c.skip(k.wire, field: k.field) else { return nil }
      }
    }
    guard let key else {
      if !parseJSON { return (nil, value, json) }
      return (nil, json.flatMap(jsonScalar) ?? value, nil)
    }
    let index: Int
    if parts > 1 {
      index = joined.withUnsafeBytes { keys.intern($0) }
    } else {
      index = keys.intern(key, after: previous)
    }
    // `_runtime` is in every row and never used: its number is not parsed.
    if index == runtimeKey { return (index, nil, nil) }
    if !parseJSON { return (index, value, json) }
    return (index, json.flatMap(jsonScalar) ?? value, nil)
  }

  /// The item shape W&B writes (a key or a one-part nested key, then
  /// `value_json`, one-byte lengths, nothing else), recognised byte by byte:
  /// the key's and the JSON's bytes, or nil for any other shape (which the
  /// field-by-field loop reads, agreeing with this on this shape).
  @inline(__always)
  private static func simpleItem(_ b: UnsafeRawBufferPointer)
    -> (UnsafeRawBufferPointer, UnsafeRawBufferPointer)?
  {
    let n = b.count
    guard n >= 5, let p = b.baseAddress else { return nil }
    @inline(__always) func byte(_ i: Int) -> Int { Int(p.load(fromByteOffset: i, as: UInt8.self)) }
    let tag = byte(0)
    guard tag == 0x0A || tag == 0x12 else { return nil }
    let keyLength = byte(1)
    let j = 2 + keyLength
    // value_json: field 16, wire type 2, key bytes 0x82 0x01.
    guard keyLength < 0x80, j + 3 <= n, byte(j) == 0x82, byte(j + 1) == 0x01 else { return nil }
    let jsonLength = byte(j + 2)
    guard jsonLength < 0x80, j + 3 + jsonLength == n else { return nil }
    return (
      UnsafeRawBufferPointer(start: p + 2, count: keyLength),
      UnsafeRawBufferPointer(start: p + j + 3, count: jsonLength)
    )
  }

  /// A `value_json` that is a number (Python's `NaN`, `Infinity`, `-Infinity` included).
  static func jsonScalar(_ b: UnsafeRawBufferPointer) -> Double? {
    guard let first = b.first else { return nil }
    if first == UInt8(ascii: "-") || (first >= 0x30 && first <= 0x39) {
      if let v = parseJSONNumber(b.bindMemory(to: UInt8.self)) { return v }
    }
    switch String(decoding: b.prefix(10), as: UTF8.self) {
    case "NaN": return .nan
    case "Infinity": return .infinity
    case "-Infinity": return -.infinity
    default: return nil
    }
  }

  private static func summary(
    _ c: inout ProtoCursor, keys: inout ByteInterner,
    into changes: inout [SummaryChange]
  ) -> Bool {
    changes.removeAll(keepingCapacity: true)
    var previous = -1
    while !c.atEnd {
      guard let k = c.key() else { return false }
      switch (k.field, k.wire) {
      case (1, .bytes), (2, .bytes):
        guard var s = c.sub(),
          let (key, value, json) = item(&s, keys: &keys, after: previous, parseJSON: false)
        else {
          return false
        }
        guard let key else { continue }
        previous = key
        if k.field == 2 {
          changes.append(SummaryChange(key: key, value: nil, json: nil))
        } else {
          changes.append(SummaryChange(key: key, value: value, json: json))
        }
      default:
        guard c.skip(k.wire, field: k.field) else { return false }
      }
    }
    return true
  }

  private static func config(_ c: inout ProtoCursor)
    -> ([(key: String, json: [UInt8])], [String])?
  {
    var updates: [(key: String, json: [UInt8])] = []
    var removed: [String] = []
    while !c.atEnd {
      guard let k = c.key() else { return nil }
      switch (k.field, k.wire) {
      case (1, .bytes), (2, .bytes):
        guard var s = c.sub() else { return nil }
        var parts: [String] = []
        var json: [UInt8] = []
        while !s.atEnd {
          guard let f = s.key() else { return nil }
          switch (f.field, f.wire) {
          case (1, .bytes), (2, .bytes):
            guard let t = s.sub() else { return nil }
            parts.append(t.string)
          case (16, .bytes):
            guard let t = s.sub() else { return nil }
            json = Array(t.remaining)
          default:
            guard s.skip(f.wire, field: f.field) else { return nil }
          }
        }
        guard !parts.isEmpty else { continue }
        let key = parts.joined(separator: ".")
        if k.field == 2 { removed.append(key) } else { updates.append((key, json)) }
      default:
        guard c.skip(k.wire, field: k.field) else { return nil }
      }
    }
    return (updates, removed)
  }

  private static func run(_ c: inout ProtoCursor)
    -> (RunInfo, [(key: String, json: [UInt8])])?
  {
    var info = RunInfo()
    var cfg: [(key: String, json: [UInt8])] = []
    while !c.atEnd {
      guard let k = c.key() else { return nil }
      switch (k.field, k.wire) {
      case (1, .bytes):
        guard let s = c.sub() else { return nil }
        info.runID = s.string
      case (3, .bytes):
        guard let s = c.sub() else { return nil }
        info.project = s.string
      case (4, .bytes):
        guard var s = c.sub(), let (updates, _) = config(&s) else { return nil }
        cfg += updates
      case (8, .bytes):
        guard let s = c.sub() else { return nil }
        info.displayName = s.string
      case (17, .bytes):
        guard var s = c.sub() else { return nil }
        while !s.atEnd {
          guard let f = s.key() else { return nil }
          if f.field == 1, f.wire == .varint {
            guard let v = s.varint() else { return nil }
            info.startTime = Double(Int64(bitPattern: v))
          } else {
            guard s.skip(f.wire, field: f.field) else { return nil }
          }
        }
      default:
        guard c.skip(k.wire, field: k.field) else { return nil }
      }
    }
    return (info, cfg)
  }

  private static func exitCode(_ c: inout ProtoCursor) -> Int? {
    var code = 0
    while !c.atEnd {
      guard let k = c.key() else { return nil }
      if k.field == 1, k.wire == .varint {
        guard let v = c.varint() else { return nil }
        code = Int(Int32(truncatingIfNeeded: v))
      } else {
        guard c.skip(k.wire, field: k.field) else { return nil }
      }
    }
    return code
  }
}

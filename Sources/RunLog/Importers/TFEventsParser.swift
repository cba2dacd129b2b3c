import Foundation

/// One scalar point read from an event file.
public struct TFScalarPoint: Sendable, Equatable {
  /// Index into `TFEventsParser.tags`.
  public var tag: Int
  public var step: Int
  /// Unix seconds (`Event.wall_time`).
  public var wallTime: Double
  public var value: Double

  /// Equal when every field is; NaN equals NaN (a value read twice compares equal).
  public static func == (a: TFScalarPoint, b: TFScalarPoint) -> Bool {
    a.tag == b.tag && a.step == b.step
      && (a.wallTime == b.wallTime || (a.wallTime.isNaN && b.wallTime.isNaN))
      && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
  }
}

/// Turns the bytes of a TensorBoard event file into scalar points, incrementally.
///
/// Framing (`TFRecordFramer`) and decoding (`TFEventDecoder`) with no I/O:
/// the file reader feeds it what was appended, the fuzz harness feeds it
/// arbitrary bytes in arbitrary chunks. Tags are interned (a run logs the
/// same few tags a million times), so a point carries an index, not a string.
/// Bad records are counted and described with their byte offset; nothing
/// already handed out is taken back.
public final class TFEventsParser {
  /// The file the bytes come from (for messages only).
  public let path: String
  /// Interned tags, in first-seen order.
  public var tags: [String] { interner.names }
  /// Good records decoded so far (with or without scalars).
  public private(set) var recordCount = 0
  /// Bad records (bad regions) found so far.
  public private(set) var badCount = 0
  /// The most recent problems; `line` is the record ordinal, the reason names the byte offset.
  public private(set) var recentBad: [BadLine] = []
  /// How many problems `recentBad` keeps.
  public var keptBad = 50
  /// The latest text summary per tag (HF Trainer logs its arguments as `args/text_summary`).
  public private(set) var texts: [String: String] = [:]
  /// Hyperparameters from the hparams plugin, if the file has any.
  public private(set) var hparams: [String: HParamValue] = [:]
  /// `Event.file_version` of the first event (`brain.Event:2`).
  public private(set) var fileVersion: String?

  private var framer = TFRecordFramer()
  private var interner = ByteInterner()

  /// A parser for bytes of `path`.
  public init(path: String) {
    self.path = path
  }

  /// File offset of the first byte not yet consumed (a partial record waits after it).
  public var consumedOffset: Int64 { framer.consumedOffset }

  /// Feeds bytes appended to the stream; `sink` gets each complete scalar in order.
  @discardableResult
  public func feed(_ bytes: UnsafeRawBufferPointer, _ sink: (TFScalarPoint) -> Void)
    -> TailReader.Poll
  {
    var d = begin()
    framer.feed(bytes, frame: { d.frame($0, $1) }, problem: { d.noteBad($0) })
    return end(&d, sink)
  }

  /// Ends the stream: a partial record left at the end is reported as truncated.
  @discardableResult
  public func finish(_ sink: (TFScalarPoint) -> Void) -> TailReader.Poll {
    var d = begin()
    framer.finish(frame: { d.frame($0, $1) }, problem: { d.noteBad($0) })
    return end(&d, sink)
  }

  /// Moves the per-record state out of the object for one feed: inside the
  /// loop it is a local value, so a million records cost no dynamic
  /// exclusivity checks or reference counting on the parser's properties.
  private func begin() -> Decoding {
    var d = Decoding(parser: self)
    swap(&d.interner, &interner)
    swap(&d.points, &pointBuffer)
    d.recordCount = recordCount
    d.badCount = badCount
    d.hasFileVersion = fileVersion != nil
    return d
  }

  /// Puts the state back, then hands out the points the feed decoded (tags
  /// are already interned, so `tags` covers every point's index).
  private func end(_ d: inout Decoding, _ sink: (TFScalarPoint) -> Void) -> TailReader.Poll {
    swap(&d.interner, &interner)
    recordCount = d.recordCount
    badCount = d.badCount
    for p in d.points { sink(p) }
    d.points.removeAll(keepingCapacity: true)
    swap(&d.points, &pointBuffer)
    return d.poll
  }

  /// Reused between feeds: the points of one feed, handed out after it.
  private var pointBuffer: [TFScalarPoint] = []

  /// The state of one feed; decoded scalars are collected, rare items
  /// (texts, hparams, file version, problems) go straight to the parser.
  private struct Decoding: TFEventDecoder.Sink {
    unowned let parser: TFEventsParser
    var interner = ByteInterner()
    var points: [TFScalarPoint] = []
    var poll = TailReader.Poll()
    var recordCount = 0
    var badCount = 0
    var hasFileVersion = false
    /// The previous point's tag: events cycle through the same tags in the same order.
    var previousTag = -1

    init(parser: TFEventsParser) { self.parser = parser }

    mutating func scalar(
      _ env: TFEventDecoder.Envelope, tag: UnsafeRawBufferPointer, value: Double
    ) {
      let t = interner.intern(tag, after: previousTag)
      previousTag = t
      points.append(TFScalarPoint(tag: t, step: env.step, wallTime: env.wallTime, value: value))
    }

    mutating func other(_ env: TFEventDecoder.Envelope, _ item: TFEventDecoder.Item) {
      switch item {
      case .text(let tag, let text):
        parser.texts[tag] = text
      case .hparams(let hp):
        parser.hparams.merge(hp) { _, new in new }
      }
    }

    mutating func frame(_ payload: UnsafeRawBufferPointer, _ offset: Int64) {
      guard let env = TFEventDecoder.decode(payload, into: &self) else {
        // The checksum matched, so the writer wrote these bytes: they are just not an Event.
        noteBad(.init(offset: offset, reason: "record is not a valid Event message"))
        return
      }
      if !hasFileVersion, let v = env.fileVersion {
        parser.fileVersion = v
        hasFileVersion = true
      }
      recordCount += 1
      poll.records += 1
    }

    mutating func noteBad(_ problem: TFRecordFramer.Problem) {
      badCount += 1
      poll.badLines += 1
      let reason = "record at byte offset \(problem.offset): \(problem.reason)"
      parser.recentBad.append(
        BadLine(path: parser.path, line: recordCount + badCount, reason: reason))
      let keep = parser.keptBad
      if parser.recentBad.count > keep {
        parser.recentBad.removeFirst(parser.recentBad.count - keep)
      }
    }
  }

  /// Forgets the stream (a replaced or truncated file); interned tags stay valid.
  public func reset() {
    framer.reset()
    recordCount = 0
    badCount = 0
    recentBad.removeAll()
  }
}

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
    var poll = TailReader.Poll()
    framer.feed(
      bytes, frame: { handle($0, $1, &poll, sink) }, problem: { noteBad($0, &poll) })
    return poll
  }

  /// Ends the stream: a partial record left at the end is reported as truncated.
  @discardableResult
  public func finish(_ sink: (TFScalarPoint) -> Void) -> TailReader.Poll {
    var poll = TailReader.Poll()
    framer.finish(frame: { handle($0, $1, &poll, sink) }, problem: { noteBad($0, &poll) })
    return poll
  }

  /// Forgets the stream (a replaced or truncated file); interned tags stay valid.
  public func reset() {
    framer.reset()
    recordCount = 0
    badCount = 0
    recentBad.removeAll()
  }

  private func handle(
    _ payload: UnsafeRawBufferPointer, _ offset: Int64, _ poll: inout TailReader.Poll,
    _ sink: (TFScalarPoint) -> Void
  ) {
    let env = TFEventDecoder.decode(payload) { env, item in
      switch item {
      case .scalar(let tag, let value):
        sink(
          TFScalarPoint(
            tag: interner.intern(tag), step: env.step, wallTime: env.wallTime, value: value))
      case .text(let tag, let text):
        texts[tag] = text
      case .hparams(let hp):
        hparams.merge(hp) { _, new in new }
      }
    }
    guard let env else {
      // The checksum matched, so the writer wrote these bytes: they are just not an Event.
      noteBad(.init(offset: offset, reason: "record is not a valid Event message"), &poll)
      return
    }
    if fileVersion == nil, let v = env.fileVersion { fileVersion = v }
    recordCount += 1
    poll.records += 1
  }

  private func noteBad(_ problem: TFRecordFramer.Problem, _ poll: inout TailReader.Poll) {
    badCount += 1
    poll.badLines += 1
    let reason = "record at byte offset \(problem.offset): \(problem.reason)"
    recentBad.append(BadLine(path: path, line: recordCount + badCount, reason: reason))
    if recentBad.count > keptBad { recentBad.removeFirst(recentBad.count - keptBad) }
  }
}

import Dispatch
import Foundation

extension TailReader {
  /// True when a second core is likely to be free: more than one core, and a
  /// one-minute load average leaving at least one of them idle. On a machine
  /// already busy, a second thread only adds the cost of merging (measured:
  /// 1.0 s sequential vs 1.5 s "parallel" at load 7 on 2 cores).
  static func spareCoreLikely() -> Bool {
    let cores = ProcessInfo.processInfo.activeProcessorCount
    guard cores > 1 else { return false }
    var load = [0.0]
    guard getloadavg(&load, 1) == 1 else { return true }
    return load[0] + 1 <= Double(cores)
  }

  /// Reads `[offset, end)` as two halves split at a newline, one per core,
  /// each into its own store, then appends the second store to `store`.
  ///
  /// The second half is parsed without knowing the first, so its records
  /// could only be appended as-is when none of them supersedes a point of the
  /// first half (`SeriesStore.canAppendIndependently`); otherwise — a resumed
  /// run whose repeated steps straddle the split — the second half is read
  /// again in order, which gives exactly the sequential result.
  func readInParallel(
    _ fd: Int32, to end: Int64, into store: inout SeriesStore, _ result: inout Poll
  ) throws(RunLogError) {
    guard let split = lineStart(after: offset + (end - offset) / 2, in: fd, before: end) else {
      try readSequentially(fd, to: end, into: &store, &result)
      return
    }
    let half = SecondHalf(
      path: path, names: names, from: split, maxLineBytes: maxLineBytes, kept: keptBadLines)
    let done = DispatchGroup()
    DispatchQueue.global().async(group: done) { half.read(fd, to: end) }
    var firstError: RunLogError?
    do {
      // Reserved for both halves: the merge then copies the second half into
      // place. Untouched reserved pages cost address space, not memory.
      try readSequentially(fd, to: split, into: &store, &result, reserveTo: end)
    } catch {
      firstError = error
    }
    done.wait()
    if let error = firstError ?? half.error { throw error }
    let second = half.reader
    let secondResult = half.result
    guard store.canAppendIndependently(half.store) else {
      half.store = SeriesStore()
      try readSequentially(fd, to: end, into: &store, &result)
      return
    }
    store.appendIndependent(&half.store)
    let linesBefore = lineCount
    lineCount += second.lineCount
    blankCount += second.blankCount
    badCount += second.badCount
    for var bad in second.recentBad {
      // What the first half says once for the file is not said again.
      if isUTF16 { break }
      if reportedDroppedKeys, bad.reason.hasPrefix(Self.droppedKeysNote) { continue }
      bad.line += linesBefore
      recentBad.append(bad)
    }
    reportedDroppedKeys = reportedDroppedKeys || second.reportedDroppedKeys
    if recentBad.count > keptBadLines { recentBad.removeFirst(recentBad.count - keptBadLines) }
    result.records += secondResult.records
    result.badLines += secondResult.badLines
    carry = second.carry
    skippingLongLine = second.skippingLongLine
    offset = second.offset
  }

  /// The offset just after the first newline at or after `from`, if one is before `end`.
  func lineStart(after from: Int64, in fd: Int32, before end: Int64) -> Int64? {
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    var at = from
    while at < end {
      let want = Int(min(Int64(buffer.count), end - at))
      let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, want, off_t(at)) }
      if n < 0, errno == EINTR { continue }
      guard n > 0 else { return nil }
      if let i = buffer[0..<n].firstIndex(of: 0x0A) {
        let start = at + Int64(i) + 1
        return start < end ? start : nil
      }
      at += Int64(n)
    }
    return nil
  }
}

/// The second half of a parallel read: its own reader and store.
///
/// `@unchecked Sendable` because it is handed to one worker thread, which is
/// the only one touching it until the `DispatchGroup` it runs in is waited
/// on; the wait orders the worker's writes before the caller's reads.
private final class SecondHalf: @unchecked Sendable {
  let reader: TailReader
  var store = SeriesStore()
  var result = TailReader.Poll()
  var error: RunLogError?

  init(
    path: String, names: MetricLineParser.KeyNames, from offset: Int64, maxLineBytes: Int,
    kept: Int
  ) {
    reader = TailReader(path: path, names: names)
    reader.maxLineBytes = maxLineBytes
    reader.keptBadLines = kept
    reader.offset = offset
    reader.atFileStart = false
  }

  func read(_ fd: Int32, to end: Int64) {
    do {
      try reader.readSequentially(fd, to: end, into: &store, &result)
    } catch {
      self.error = error
    }
  }
}

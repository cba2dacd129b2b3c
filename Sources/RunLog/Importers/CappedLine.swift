/// One line (or CSV row) being assembled from appended chunks, with a cap:
/// past `cap` bytes its content is dropped and it is only remembered as too
/// long, so a file with no newline can never grow memory without bound.
/// Shared by the line-based importers (CSV, JSON lines).
struct CappedLine {
  /// The bytes so far (empty once the line is overlong).
  var bytes: [UInt8] = []
  /// True once the line went past the cap.
  private(set) var overlong = false

  /// Nothing collected yet, and not overlong.
  var isEmpty: Bool { bytes.isEmpty && !overlong }

  /// Adds a chunk; past `cap` bytes the line becomes overlong.
  mutating func append(_ chunk: UnsafeRawBufferPointer, cap: Int) {
    guard !overlong else { return }
    bytes.append(contentsOf: chunk)
    if bytes.count > cap {
      bytes.removeAll()
      overlong = true
    }
  }

  /// Starts the next line (keeping the buffer's capacity).
  mutating func clear() {
    bytes.removeAll(keepingCapacity: true)
    overlong = false
  }
}

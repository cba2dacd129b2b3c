import Foundation

/// One run on disk: a directory holding `run.json`, `metrics.jsonl` and the
/// trainer's other files (docs/run-format.md).
///
/// This type only knows paths and the atomic manifest write; reading metrics
/// is `TailReader`'s job, writing them `MetricsWriter`'s.
public struct RunDirectory: Sendable, Hashable {
  /// File name of the manifest.
  public static let manifestName = "run.json"
  /// File name of the metrics log.
  public static let metricsName = "metrics.jsonl"
  /// File name of the trainer's human-readable log (stdout/stderr).
  public static let logName = "trainer.log"
  /// Directory of checkpoints.
  public static let checkpointsName = "checkpoints"
  /// The lock file a live trainer holds (flock) for the run's lifetime.
  public static let lockName = "run.lock"
  /// Per-token log-probs of the held-out probes (optional; `ProbesReader`).
  public static let probesName = "probes.jsonl"

  /// The directory's path.
  public let path: String

  /// Wraps `path` (no I/O).
  public init(path: String) {
    self.path = path
  }

  /// Path of `run.json`.
  public var manifestPath: String { join(path, Self.manifestName) }
  /// Path of `metrics.jsonl`.
  public var metricsPath: String { join(path, Self.metricsName) }
  /// Path of `trainer.log`.
  public var logPath: String { join(path, Self.logName) }
  /// Path of the checkpoints directory.
  public var checkpointsPath: String { join(path, Self.checkpointsName) }
  /// Path of the lock file.
  public var lockPath: String { join(path, Self.lockName) }
  /// Path of `probes.jsonl`.
  public var probesPath: String { join(path, Self.probesName) }

  /// True when `path` holds a `run.json`.
  public static func isRun(at path: String) -> Bool {
    var isDir: ObjCBool = false
    return FileManager.default.fileExists(atPath: join(path, manifestName), isDirectory: &isDir)
      && !isDir.boolValue
  }

  /// Reads and validates `run.json`.
  public func readManifest() throws(RunLogError) -> RunManifest {
    let data = try readWholeFile(manifestPath)
    return try RunManifest.decode(data, path: manifestPath)
  }

  /// Creates the directory (and parents) if needed.
  public func create() throws(RunLogError) {
    do {
      try FileManager.default.createDirectory(
        atPath: path, withIntermediateDirectories: true)
    } catch {
      throw RunLogError(.writeFailed(path: path, reason: error.localizedDescription))
    }
  }

  /// Writes `run.json` atomically: a reader sees the old manifest or the new
  /// one, never a mix, even if this process is killed mid-write.
  public func writeManifest(_ manifest: RunManifest) throws(RunLogError) {
    try writeFileAtomically(manifestPath, manifest.encoded())
  }

  /// Records a final manifest even on a full disk: atomically when there is
  /// room, else by overwriting run.json in place within its current size.
  ///
  /// A trainer stopped by a failed write must still leave "failed" and the
  /// cause in run.json, but the atomic write needs a new file, which a full
  /// disk refuses. Rewriting the existing bytes needs no new space: the
  /// manifest is written compact, padded with spaces (valid JSON) to the old
  /// size, its `error` shortened if it would not fit. Only that last resort
  /// is not atomic; it is used only when the trainer is stopping anyway.
  public func writeFinalManifest(_ manifest: RunManifest) throws(RunLogError) {
    let firstError: RunLogError
    do {
      try writeManifest(manifest)
      return
    } catch {
      firstError = error
    }
    var st = stat()
    guard stat(manifestPath, &st) == 0, st.st_size > 2 else { throw firstError }
    let room = Int(st.st_size)
    var m = manifest
    var data = m.encodedCompact()
    while data.count > room, let error = m.error, !error.isEmpty {
      m.error = String(error.prefix(max(0, error.count - (data.count - room) - 3))) + "…"
      if m.error == "…" { m.error = nil }
      data = m.encodedCompact()
    }
    guard data.count <= room else { throw firstError }
    data.append(contentsOf: repeatElement(UInt8(ascii: " "), count: room - data.count))
    let fd = open(manifestPath, O_WRONLY | O_CLOEXEC)
    guard fd >= 0 else { throw firstError }
    defer { close(fd) }
    let written = data.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    guard written == data.count else { throw firstError }
    fsync(fd)
  }
}

/// Joins path components with exactly one slash.
func join(_ a: String, _ b: String) -> String {
  if a.isEmpty { return b }
  return a.hasSuffix("/") ? a + b : a + "/" + b
}

/// Reads a whole file, mapping failures to `RunLogError`.
///
/// Plain POSIX reads rather than `FileManager.contents(atPath:)`, which
/// leaks a 4 KB buffer on an empty file (found by the sweep_json fuzz
/// harness) and cannot say why a read failed.
public func readWholeFile(_ path: String) throws(RunLogError) -> Data {
  let file = try OpenedFile.open(path)
  defer { file.close() }
  if file.isDirectory {
    throw RunLogError(.notARun(path: path, reason: "is a directory, expected a file"))
  }
  var data = Data()
  try file.readChunks(from: 0, to: nil, chunkSize: 64 << 10) { data.append(contentsOf: $0) }
  return data
}

/// The text of a file (invalid UTF-8 repaired), or nil when it cannot be read.
///
/// Preferred to Foundation's `String(contentsOfFile:)`, which on this
/// toolchain leaks a 4 KB buffer for every file that reports size 0, as
/// empty files and everything under /proc do (found by LeakSanitizer), like
/// `FileManager.contents(atPath:)` (see `readWholeFile`).
public func readTextFile(_ path: String) -> String? {
  guard let data = try? readWholeFile(path) else { return nil }
  return String(decoding: data, as: UTF8.self)
}

/// Writes every byte of `bytes` to `fd`, retrying short writes and EINTR;
/// the errno of the write that failed, or nil.
public func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
  var offset = 0
  while offset < bytes.count {
    let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
    if n < 0 {
      if errno == EINTR { continue }
      return errno
    }
    if n == 0 { return EIO }
    offset += n
  }
  return nil
}

/// Writes `data` to `path` via a temporary file in the same directory,
/// fsync, then rename: the POSIX recipe for an atomic replace.
public func writeFileAtomically(_ path: String, _ data: Data) throws(RunLogError) {
  let tmp = path + ".tmp.\(getpid())"
  let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
  guard fd >= 0 else {
    throw RunLogError(.writeFailed(path: tmp, reason: String(cString: strerror(errno))))
  }
  var failure = data.withUnsafeBytes { writeAll(fd, $0) }.map { String(cString: strerror($0)) }
  if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
  close(fd)
  if let failure {
    unlink(tmp)
    throw RunLogError(.writeFailed(path: path, reason: failure))
  }
  guard rename(tmp, path) == 0 else {
    let reason = String(cString: strerror(errno))
    unlink(tmp)
    throw RunLogError(.writeFailed(path: path, reason: reason))
  }
}

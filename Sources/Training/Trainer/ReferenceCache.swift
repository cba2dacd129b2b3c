import Foundation
import RunLog

/// Reference log-probs shared on disk by the runs of a sweep (`--ref-cache
/// DIR`): a run reads what another already computed instead of running the
/// frozen reference over the same pair again.
///
/// `DIR/<fingerprint>/` holds one file per run (`<run>-<pid>-<random>.refl`),
/// appended to by that run only and read by all the others (see
/// `ReferenceCacheRecord` for the format, `ReferenceCacheIdentity` for what
/// the fingerprint and keys cover). Only finished values are written and no
/// run ever waits for another: a value not visible yet is computed again, so
/// the cache changes how long a run takes, never what it computes.
final class ReferenceCache {
  /// The fingerprint directory.
  let directory: String
  private var values: [StableHash128: (Double, Double)] = [:]
  private var reader: ReferenceCacheReader
  private let writer: ReferenceCacheWriter
  private let warn: (String) -> Void
  private var warnedDisagreement = false
  /// Pairs read from peers' files so far, for tests.
  private(set) var recordsRead = 0

  /// The cache under `root` for `fingerprint`, or nil (after a warning) when
  /// its directory cannot be made: the run then goes on without it.
  init?(
    root: String, fingerprint: StableHash128, runName: String,
    warn: @escaping (String) -> Void = ReferenceCache.warnOnStderr
  ) {
    let dir = root + "/" + fingerprint.hex
    if let problem = Self.makeDirectories(dir) {
      warn("reference cache: cannot use \(dir): \(problem); running without it")
      return nil
    }
    directory = dir
    self.warn = warn
    let seed = ReferenceCacheRecord.checksumSeed(fingerprint)
    let safe = String(
      runName.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    let own =
      "\(safe)-\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
      + ReferenceCacheWriter.fileExtension
    writer = ReferenceCacheWriter(path: dir + "/" + own, seed: seed, warn: warn)
    reader = ReferenceCacheReader(directory: dir, ownName: own, seed: seed, warn: warn)
  }

  /// Takes in what the other runs have written since the last call.
  func refresh() {
    for record in reader.readNew() {
      recordsRead += 1
      remember(record)
    }
  }

  /// (log πref(chosen), log πref(rejected)) of the pair with `key`, if known.
  func value(_ key: StableHash128) -> (Double, Double)? { values[key] }

  /// Shares values this run computed (one write).
  func append(_ records: [ReferenceCacheRecord]) {
    for r in records { remember(r) }
    writer.append(records)
  }

  private func remember(_ r: ReferenceCacheRecord) {
    if let known = values[r.key] {
      // Same fingerprint, same pair: the bits must agree. If they do not, the
      // trainer is not deterministic somewhere; keep the first and say so.
      if !warnedDisagreement,
        known.0.bitPattern != r.chosen.bitPattern || known.1.bitPattern != r.rejected.bitPattern
      {
        warnedDisagreement = true
        warn(
          "reference cache: runs in \(directory) disagree on a pair's log-probs; keeping the first")
      }
      return
    }
    values[r.key] = (r.chosen, r.rejected)
  }

  /// Creates `path` and its missing parents; nil, or what stopped it
  /// ("/a/b: Not a directory"), in the system's words rather than
  /// Foundation's error codes.
  static func makeDirectories(_ path: String) -> String? {
    var prefix = path.hasPrefix("/") ? "" : "."
    for part in path.split(separator: "/") {
      prefix += "/" + part
      if mkdir(prefix, 0o755) == 0 { continue }
      let failure = errno
      var st = stat()
      guard stat(prefix, &st) == 0 else {
        return "\(prefix): \(String(cString: strerror(failure)))"
      }
      guard (st.st_mode & S_IFMT) == S_IFDIR else { return "\(prefix) is not a directory" }
    }
    return nil
  }

  /// One line on standard error.
  static func warnOnStderr(_ line: String) {
    _ = Array(("warning: " + line + "\n").utf8).withUnsafeBytes { writeAll(2, $0) }
  }
}

import Foundation
import RunLog

/// A local copy of the run files under a remote path, kept up to date a
/// round at a time over a `ShellSession`: the far side is listed (bounded
/// as local discovery is), then only the bytes appended to each file travel.
///
/// The copy is what the dashboard, `render` and `summary` read: the same
/// discovery, readers and importers as for local runs see remote bytes
/// through it, so every format read locally reads remotely. Only the files
/// those readers open are copied (`FileKind`); checkpoints and datasets stay
/// where they are.
///
/// Per file it keeps the far side's inode and the offset copied so far. A
/// file whose inode changed, or that shrank, or whose last 32 copied bytes
/// differ on the far side, was replaced: its copy is replaced too (a new
/// local inode, so the local reader starts over as it does for a replaced
/// local file). Bytes are appended to the copy only after their whole frame
/// arrived intact, so a dropped connection loses or repeats nothing: the
/// next session resumes from the offsets. Confined to one thread.
public final class RemoteMirror {
  /// What is mirrored.
  public let target: RemoteTarget
  /// The private directory holding the copy.
  public let directory: String
  /// The copy of the remote path (a directory, or a file for a single CSV
  /// or event file).
  public let localRoot: String

  /// How a file is copied, told by its name.
  enum FileKind {
    /// Rewritten whole by its writer (manifests, configs, trainer state):
    /// copied again whole when its inode, size or time changes.
    case whole
    /// Append-only logs (metrics, event files, trainer log): tailed.
    case append
    /// `*.csv` and other `*.jsonl`: its head is copied, and it is tailed
    /// only when the head says it is a metrics log (the check local
    /// discovery makes on the same bytes).
    case probe
  }

  final class MirroredFile {
    let remote: [UInt8]
    let local: String
    let kind: FileKind
    var inode: UInt64?
    var offset: Int64 = 0
    var stamp: String?
    /// For `.probe`: nil until the head is in, then whether to follow it.
    var follow: Bool?
    init(remote: [UInt8], local: String, kind: FileKind) {
      self.remote = remote
      self.local = local
      self.kind = kind
    }
  }

  /// One line of a listing: type (d, f; L loop, N dangling, o other), inode,
  /// size, modification time as text, path as the far side spelled it.
  struct Entry {
    var type: UInt8
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var time: String
    var path: [UInt8]

    /// As discovery sees it: the time split into seconds and nanoseconds.
    func fileEntry(isDirectory: Bool) -> FileEntry {
      let parts = time.split(separator: ".", maxSplits: 1)
      let sec = parts.first.flatMap { Int($0) } ?? 0
      let frac = parts.count > 1 ? String(parts[1].prefix(9)) : ""
      let nsec = Int(frac.padding(toLength: 9, withPad: "0", startingAt: 0)) ?? 0
      return FileEntry(
        isDirectory: isDirectory, size: size, mtime: (sec, nsec), identity: [device, inode])
    }
  }

  /// Levels below the root listed: discovery's depth plus what a run
  /// directory holds below itself (`runs/<date>/events...`, `checkpoint-N/`).
  public static let listDepth = 8
  /// Bytes of listing read at most (about 200,000 entries, as local discovery's budget).
  public static let listBytes = 24 << 20
  /// Bytes of one file copied per round at most, and of all files.
  public static let bytesPerFile: Int64 = 4 << 20
  public static let bytesPerRound: Int64 = 16 << 20
  /// Files fetched by one request at most: the request is written before
  /// its reply is read, so it must fit in the pipes and ssh's channel window
  /// while the far side's output waits (200 paths are well under 1 MB).
  public static let asksPerRound = 200
  /// Whole-copied files larger than this are left out (not a manifest).
  public static let wholeLimit: Int64 = 16 << 20
  /// Head of a `.probe` file copied before deciding whether to follow it:
  /// as much as discovery looks at (`MetricsLogSniffer.window`).
  public static let probeBytes = Int64(MetricsLogSniffer.window)

  var files: [[UInt8]: MirroredFile] = [:]
  private let tree = ListedTree()
  private var directories: Set<String> = []
  /// Whether the far side is a directory (else the root is one file).
  var rootIsDirectory = true
  /// Bytes of file content copied so far.
  public internal(set) var copiedBytes: Int64 = 0

  /// A mirror of `target` in a new private directory under `TMPDIR`.
  public init(target: RemoteTarget) throws(RemoteError) {
    self.target = target
    let base =
      ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    var template = Array((base + "/dpotop-remote.XXXXXX").utf8CString)
    guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
      throw RemoteError(
        .launch, "cannot make a directory in \(base): \(String(cString: strerror(errno)))")
    }
    directory = String(cString: made)
    var name = target.rootName
    if name.hasPrefix(".") { name = "_" + name }
    localRoot = directory + "/" + name
  }

  /// Deletes the local copy.
  public func remove() {
    try? FileManager.default.removeItem(atPath: directory)
  }

  /// The remote path as sent to the far side's shell.
  var rootBytes: [UInt8] { Array(target.shellPath.utf8) }

  // MARK: - Listing

  /// Lists the remote tree and brings the set of copied files and
  /// directories in line with it (new ones created, vanished ones removed).
  func list(_ session: ShellSession) throws(RemoteError) {
    var entries: [Entry]
    var complete = true
    if rootIsDirectory {
      let marker = ShellSession.newMarker()
      var req = Array("M='\(marker)'; L ".utf8) + FarSideScript.quote(rootBytes)
      req += Array(" \(Self.listDepth) \(Self.listBytes)\n".utf8)
      try session.write(req)
      let payload = try session.readUntil(Array("\n\(marker)\n".utf8))
      complete = payload.count < Self.listBytes
      entries = Self.parseRecords(payload)
    } else {
      entries = try stat([rootBytes], session)
    }
    let prefix = rootIsDirectory ? rootBytes + Array("/.".utf8) : rootBytes
    // The listing as a tree for discovery, keyed by paths as discovery
    // joins them under the root as typed.
    tree.reset()
    var rootPath = target.shellPath
    while rootPath.count > 1, rootPath.hasSuffix("/") { rootPath.removeLast() }
    var seenDirs = Set<String>()
    var locals: [String: String] = [:]
    for e in entries {
      guard e.path.starts(with: prefix) else { continue }
      let rel = Array(e.path[prefix.count...])
      guard Self.isSafeRelative(rel) else { continue }
      let relText = String(decoding: rel, as: UTF8.self)
      let path = rel.isEmpty ? rootPath : (rootPath == "/" ? relText : rootPath + relText)
      let parent = rel.isEmpty ? nil : (path as NSString).deletingLastPathComponent
      let local = localRoot + relText
      let isDirectory = e.type == UInt8(ascii: "d")
      // Loops, dangling links and devices are not entries, as on the local disk.
      guard isDirectory || e.type == UInt8(ascii: "f") else { continue }
      tree.add(path, parent: parent, entry: e.fileEntry(isDirectory: isDirectory), remote: e.path)
      locals[path] = local
      if isDirectory {
        seenDirs.insert(local)
        if directories.insert(local).inserted {
          try? FileManager.default.createDirectory(atPath: local, withIntermediateDirectories: true)
        }
      }
    }
    tree.dropStaleHeads()
    var headError: RemoteError?
    tree.fetchHead = { [unowned self] remote, count in
      guard headError == nil else { return nil }
      do throws(RemoteError) {
        return try self.fetch(remote, from: 0, count: count, session)
      } catch {
        headError = error
        return nil
      }
    }
    // The runs there, by discovery's own rules; only their files are copied.
    var wanted: [[UInt8]: (local: String, kind: FileKind)] = [:]
    for run in RunDiscovery.find(under: rootPath, in: tree) {
      guard run.format.isDirectory else {
        if let remote = tree.remotePaths[run.path], let local = locals[run.path] {
          wanted[remote] = (local, .append)
        }
        continue
      }
      let inside = run.path == "/" ? "/" : run.path + "/"
      for (path, remote) in tree.remotePaths where path.hasPrefix(inside) {
        guard tree.entry(path)?.isDirectory == false, let local = locals[path],
          let kind = Self.kind(of: Array((path as NSString).lastPathComponent.utf8))
        else { continue }
        wanted[remote] = (local, kind)
      }
    }
    tree.fetchHead = { _, _ in nil }  // the session is not kept past this listing
    if let headError { throw headError }
    for (remote, want) in wanted where files[remote] == nil {
      files[remote] = MirroredFile(remote: remote, local: want.local, kind: want.kind)
    }
    // A file no longer followed (a CSV that was not a metrics log) is not
    // asked about each round: the listing notices when it is replaced.
    for e in entries where e.type == UInt8(ascii: "f") {
      if let f = files[e.path], f.follow == false, let known = f.inode, known != e.inode {
        replace(f)
      }
    }
    guard complete else { return }
    for (path, file) in files where wanted[path] == nil {
      unlink(file.local)
      files[path] = nil
    }
    for dir in directories.subtracting(seenDirs).sorted(by: { $0.count > $1.count }) {
      try? FileManager.default.removeItem(atPath: dir)
      directories.remove(dir)
    }
  }

  /// Bytes `[from, from + count)` of a remote file, or nil when it changed while being read.
  private func fetch(_ remote: [UInt8], from: Int64, count: Int, _ session: ShellSession)
    throws(RemoteError) -> [UInt8]?
  {
    let marker = ShellSession.newMarker()
    let req =
      Array("M='\(marker)'; G 0 \(from) \(count) ".utf8) + FarSideScript.quote(remote) + [0x0A]
    try session.write(req)
    guard try session.readUntil([0x0A]) == Array("G 0".utf8) else {
      throw RemoteError(.protocolError, "unexpected reply from the far side")
    }
    return try session.readExactly(count, then: Array("\(marker)\n".utf8))
  }

  /// True for `""` or `/a/b...` without `.` or `..` components: whatever
  /// the far side answers, the copy is never written outside its directory.
  static func isSafeRelative(_ rel: [UInt8]) -> Bool {
    if rel.isEmpty { return true }
    guard rel.first == 0x2F else { return false }
    return !rel.split(separator: 0x2F, omittingEmptySubsequences: false).dropFirst().contains {
      $0.isEmpty || $0.elementsEqual([0x2E]) || $0.elementsEqual([0x2E, 0x2E])
    }
  }

  /// How a file named `name` is copied, or nil when no reader opens it.
  static func kind(of name: [UInt8]) -> FileKind? {
    let s = String(decoding: name, as: UTF8.self)
    switch s {
    case RunDirectory.manifestName, "sweep.json", "trainer_state.json", "args.json",
      "training_args.json", "config.json":
      return .whole
    case RunDirectory.metricsName, RunDirectory.logName:
      return .append
    default:
      if s.hasPrefix("events.out.tfevents.") { return .append }
      if s.hasSuffix(".csv") || s.hasSuffix(".jsonl") { return .probe }
      return nil
    }
  }

  /// Records separated by NULs: `T DEVICE INODE SIZE TIME PATH` (a cut last one is dropped).
  static func parseRecords(_ bytes: [UInt8]) -> [Entry] {
    var out: [Entry] = []
    var records = bytes.split(separator: 0, omittingEmptySubsequences: false)
    if bytes.last != 0 { records.removeLast() }  // cut by the byte limit, or the trailing newline
    for r in records {
      let parts = r.split(separator: 0x20, maxSplits: 5, omittingEmptySubsequences: false)
      guard parts.count == 6, parts[0].count == 1,
        let device = UInt64(String(decoding: parts[1], as: UTF8.self)),
        let inode = UInt64(String(decoding: parts[2], as: UTF8.self)),
        let size = Int64(String(decoding: parts[3], as: UTF8.self))
      else { continue }
      out.append(
        Entry(
          type: parts[0].first!, device: device, inode: inode, size: size,
          time: String(decoding: parts[4], as: UTF8.self), path: Array(parts[5])))
    }
    return out
  }

  /// The far side's records for `paths` (missing ones are left out).
  func stat(_ paths: [[UInt8]], _ session: ShellSession) throws(RemoteError) -> [Entry] {
    var out: [Entry] = []
    var i = 0
    while i < paths.count {
      let batch = paths[i..<min(paths.count, i + 200)]
      i += batch.count
      let marker = ShellSession.newMarker()
      var req = Array("M='\(marker)'; R".utf8)
      for p in batch { req += [0x20] + FarSideScript.quote(p) }
      req.append(0x0A)
      try session.write(req)
      out += Self.parseRecords(try session.readUntil(Array("\n\(marker)\n".utf8)))
    }
    return out
  }
}

import Foundation
import RunLog

/// The far side's files as one listing shows them, as a `FileTree`: run
/// discovery (`RunDiscovery.find(under:in:)`) walks it with exactly the
/// rules it applies to the local disk, and the heads it asks for are
/// fetched over the session on demand (and kept while the file is unchanged).
final class ListedTree: FileTree {
  private var entries: [String: FileEntry] = [:]
  private var children: [String: [String]] = [:]
  /// Each path's bytes as the far side spells them (for requests).
  private(set) var remotePaths: [String: [UInt8]] = [:]
  private var heads: [String: (stamp: FileEntry, bytes: [UInt8])] = [:]
  /// Fetches up to `count` bytes from the start of a remote file.
  var fetchHead: (_ remote: [UInt8], _ count: Int) -> [UInt8]? = { _, _ in nil }

  /// Starts a new listing, keeping the heads of files that did not change.
  func reset() {
    entries = [:]
    children = [:]
    remotePaths = [:]
  }

  /// Adds `path` (a directory, or a regular file) under `parent`.
  func add(_ path: String, parent: String?, entry: FileEntry, remote: [UInt8]) {
    entries[path] = entry
    remotePaths[path] = remote
    if let parent {
      children[parent, default: []].append((path as NSString).lastPathComponent)
    }
  }

  /// Forgets the heads of files that are gone.
  func dropStaleHeads() {
    heads = heads.filter { entries[$0.key] == $0.value.stamp }
  }

  func entry(_ path: String) -> FileEntry? { entries[path] }

  func list(_ path: String) -> [String]? {
    guard entries[path]?.isDirectory == true else { return nil }
    return children[path] ?? []
  }

  func head(_ path: String, count: Int) -> [UInt8]? {
    guard let e = entries[path], !e.isDirectory, let remote = remotePaths[path] else { return nil }
    let want = Int(min(Int64(count), e.size))
    if let cached = heads[path], cached.stamp == e, cached.bytes.count >= want {
      return Array(cached.bytes.prefix(want))
    }
    guard let bytes = fetchHead(remote, want) else { return nil }
    heads[path] = (e, bytes)
    return bytes
  }
}

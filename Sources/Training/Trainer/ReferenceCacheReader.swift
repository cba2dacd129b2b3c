import Foundation
import RunLog

/// Tails the other runs' files in one reference cache directory: each call
/// reads only what was appended since the last, and hands out the whole
/// records whose checksum holds.
///
/// A record cut short (a peer mid-write, or a file server that has not shown
/// the rest yet) stays in hand until the rest arrives; a record that fails
/// its check is skipped with one warning per file. Nothing here throws:
/// whatever goes wrong, the caller computes the value itself.
struct ReferenceCacheReader {
  /// The fingerprint directory.
  let directory: String
  /// This run's own file (written, not read).
  let ownName: String
  /// The directory's checksum seed.
  let seed: UInt32
  let warn: (String) -> Void

  private struct Peer {
    var tail: FileTail
    /// Bytes read past the last whole record.
    var carry: [UInt8] = []
    /// File offset of `carry`'s first byte.
    var carryOffset: Int64 = 0
    var warned = false
  }
  private var peers: [String: Peer] = [:]
  private var warnedListing = false

  init(directory: String, ownName: String, seed: UInt32, warn: @escaping (String) -> Void) {
    self.directory = directory
    self.ownName = ownName
    self.seed = seed
    self.warn = warn
  }

  /// Every valid record the peers' files gained since the last call.
  mutating func readNew() -> [ReferenceCacheRecord] {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory)
    } catch {
      if !warnedListing {
        warnedListing = true
        warn(
          "reference cache: cannot list \(directory) (\(error.localizedDescription)); computing instead"
        )
      }
      return []
    }
    var out: [ReferenceCacheRecord] = []
    for name in names.sorted()
    where name.hasSuffix(ReferenceCacheWriter.fileExtension) && name != ownName {
      var peer = peers[name] ?? Peer(tail: FileTail(path: directory + "/" + name))
      read(&peer, into: &out)
      peers[name] = peer
    }
    return out
  }

  private func read(_ peer: inout Peer, into out: inout [ReferenceCacheRecord]) {
    var carry = peer.carry
    var carryOffset = peer.carryOffset
    do {
      try peer.tail.read(onReset: {
        // Replaced or truncated: start over at byte 0 (values already taken stay valid:
        // each was checked against this directory's fingerprint).
        carry = []
        carryOffset = 0
      }) { chunk in carry.append(contentsOf: chunk) }
    } catch {
      // Gone since the listing: nothing to read. Anything else: say so once.
      var reason: String?
      switch error.kind {
      case .missing: reason = nil
      case .notARun(_, let why): reason = why
      default: reason = error.description
      }
      if let reason, !peer.warned {
        peer.warned = true
        warn("reference cache: cannot read \(peer.tail.path): \(reason); skipping it")
      }
    }
    let size = ReferenceCacheRecord.size
    let whole = carry.count / size
    carry.withUnsafeBytes { bytes in
      for r in 0..<whole {
        let slice = UnsafeRawBufferPointer(rebasing: bytes[(r * size)..<((r + 1) * size)])
        if let record = ReferenceCacheRecord.decode(slice, seed: seed) {
          out.append(record)
        } else if !peer.warned {
          peer.warned = true
          warn(
            "reference cache: \(peer.tail.path): skipping a corrupt record at byte "
              + "\(carryOffset + Int64(r * size)) (later ones in this file are skipped silently)")
        }
      }
    }
    carry.removeFirst(whole * size)
    peer.carry = carry
    peer.carryOffset = carryOffset + Int64(whole * size)
  }
}

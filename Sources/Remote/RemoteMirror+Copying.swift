import Foundation
import RunLog

/// Copying bytes: each round asks where the followed files stand and
/// fetches only what changed (see `RemoteMirror`).
extension RemoteMirror {
  /// One round: asks the far side where each followed file stands and
  /// copies what changed (at most `bytesPerFile` each, `bytesPerRound` in
  /// all). Returns true when bytes are left for another round.
  @discardableResult
  func copyRound(_ session: ShellSession) throws(RemoteError) -> Bool {
    let followed = files.values.filter { $0.kind != .probe || $0.follow != false }
      .sorted { $0.local < $1.local }
    guard !followed.isEmpty else { return false }
    var now: [[UInt8]: Entry] = [:]
    for e in try stat(followed.map(\.remote), session) { now[e.path] = e }

    var asks: [(file: MirroredFile, from: Int64, count: Int64, kept: Int64)] = []
    var budget = Self.bytesPerRound
    var pending = false
    for f in followed {
      guard let e = now[f.remote], e.type == UInt8(ascii: "f") else { continue }
      if asks.count >= Self.asksPerRound {
        pending = true
        break
      }
      switch f.kind {
      case .whole:
        let stamp = "\(e.inode) \(e.size) \(e.time)"
        guard stamp != f.stamp, e.size <= Self.wholeLimit else { continue }
        guard budget >= e.size || asks.isEmpty else {
          pending = true
          continue
        }
        f.inode = e.inode
        f.stamp = stamp
        asks.append((f, 0, e.size, 0))
        budget -= e.size
      case .append, .probe:
        if let known = f.inode, known != e.inode || e.size < f.offset {
          replace(f)
        }
        f.inode = e.inode
        guard e.size > f.offset else { continue }
        var want = min(e.size - f.offset, Self.bytesPerFile)
        if f.kind == .probe, f.follow == nil { want = min(want, Self.probeBytes - f.offset) }
        guard want > 0 else { continue }
        guard budget > 0 else {
          pending = true
          continue
        }
        want = min(want, budget)
        budget -= want
        // The 32 bytes before the offset come again: a file rewritten in
        // place under the same inode shows as a mismatch there.
        let kept = min(f.offset, 32)
        asks.append((f, f.offset - kept, want + kept, kept))
        if f.offset + want < e.size { pending = true }
      }
    }
    guard !asks.isEmpty else { return pending }
    let marker = ShellSession.newMarker()
    var req = Array("M='\(marker)'".utf8)
    for (i, a) in asks.enumerated() {
      req += Array("; G \(i) \(a.from) \(a.count) ".utf8) + FarSideScript.quote(a.file.remote)
    }
    req.append(0x0A)
    try session.write(req)
    let end = Array("\(marker)\n".utf8)
    for (i, a) in asks.enumerated() {
      let header = try session.readUntil([0x0A])
      guard header == Array("G \(i)".utf8) else {
        throw RemoteError(.protocolError, "unexpected reply from the far side")
      }
      guard let bytes = try session.readExactly(Int(a.count), then: end) else {
        // Shorter than its size said: changed while being read; asked again next round.
        if a.file.kind == .whole { a.file.stamp = nil }
        pending = true
        continue
      }
      store(bytes, for: a.file, from: a.from, kept: a.kept)
    }
    return pending
  }

  /// Writes a frame's bytes into the copy (checking the repeated bytes first).
  private func store(_ bytes: [UInt8], for f: MirroredFile, from: Int64, kept: Int64) {
    if f.kind == .whole {
      try? FileManager.default.createDirectory(
        atPath: (f.local as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      do {
        try writeFileAtomically(f.local, Data(bytes))
        copiedBytes += Int64(bytes.count)
      } catch {
        f.stamp = nil
      }
      return
    }
    if kept > 0,
      !localBytes(f.local, at: from, count: Int(kept)).elementsEqual(bytes[0..<Int(kept)])
    {
      replace(f)  // rewritten in place: copied again from its start next round
      return
    }
    let fd = open(f.local, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else { return }
    defer { close(fd) }
    let body = bytes[Int(kept)...]
    let allZero = body.allSatisfy { $0 == 0 }
    var ok = true
    if allZero {
      // A sparse file's holes stay holes here.
      ok = ftruncate(fd, off_t(f.offset) + off_t(body.count)) == 0
    } else {
      var done = 0
      while done < body.count {
        let n = body.withUnsafeBytes {
          pwrite(fd, $0.baseAddress! + done, $0.count - done, off_t(f.offset) + off_t(done))
        }
        if n < 0, errno == EINTR { continue }
        if n <= 0 {
          ok = false
          break
        }
        done += n
      }
    }
    guard ok else { return }  // local disk full: asked again next round
    f.offset += Int64(body.count)
    copiedBytes += Int64(body.count)
    if f.kind == .probe, f.follow == nil, f.offset >= Self.probeBytes {
      // Discovery's own checks, on the same head bytes.
      f.follow =
        f.local.hasSuffix(".csv")
        ? CSVRunSource.looksLikeMetrics(f.local) : MetricsLogSniffer.isLog(f.local)
    }
  }

  /// Replaces the copy of `f` with an empty new file (a new inode).
  func replace(_ f: MirroredFile) {
    unlink(f.local)
    f.offset = 0
    f.inode = nil
    f.follow = nil
  }

  private func localBytes(_ path: String, at offset: Int64, count: Int) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return [] }
    defer { close(fd) }
    var out = [UInt8](repeating: 0, count: count)
    let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
    return n == count ? out : []
  }
}

import RunLog

extension RunLock {
  /// Takes the lock at `path` (a sweep's `sweep.lock`) without waiting, or
  /// throws naming the holder.
  public static func take(_ path: String) throws(SweepError) -> RunLock {
    do {
      return try RunLock(acquiring: path, recordingPid: false)
    } catch .cannotOpen(let reason) {
      throw SweepError("cannot open \(path): \(reason)")
    } catch {
      let holder = ProcessProof.lockHolder(of: path).map { " (pid \($0))" } ?? ""
      throw SweepError("\(path) is held by another process\(holder)")
    }
  }
}

import RunLog

extension RunLock {
  /// Takes `directory`'s `run.lock` for this trainer, with its pid inside, or
  /// throws `.locked` when another process holds it.
  public static func take(_ directory: RunDirectory) throws(TrainingError) -> RunLock {
    do {
      return try RunLock(acquiring: directory.lockPath, recordingPid: true)
    } catch .cannotOpen(let reason) {
      throw TrainingError(.writeFailed(path: directory.lockPath, reason: reason))
    } catch {
      throw TrainingError(.locked(path: directory.path), hint: "is another 'dpotop train' running?")
    }
  }
}

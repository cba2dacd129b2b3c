import Foundation
import RunLog

/// Proves that a pid named in a manifest really is the live process that
/// owns a run (or a sweep) before anything signals it.
///
/// A manifest is a file anyone can edit, and pids are reused, so the pid
/// alone proves nothing. The proof is the lock: a live trainer holds an
/// exclusive `flock` on its run's lock file for its whole life, and the
/// kernel lists the holder's pid in /proc/locks by the file's inode. The pid
/// must be that holder and its command line must name the expected dpotop
/// subcommand.
public enum ProcessProof {
  /// The pid holding an flock on `lockPath`, if any (from /proc/locks).
  public static func lockHolder(of lockPath: String) -> pid_t? {
    var st = stat()
    guard stat(lockPath, &st) == 0 else { return nil }
    guard let text = readTextFile("/proc/locks") else { return nil }
    return lockHolder(inode: UInt64(st.st_ino), locksText: text)
  }

  /// Parses /proc/locks text for the FLOCK holder of `inode`.
  ///
  /// Lines look like `1: FLOCK  ADVISORY  WRITE 12345 fd:01:1234567 0 EOF`
  /// (blocked waiters carry a `->` and are skipped).
  public static func lockHolder(inode: UInt64, locksText: String) -> pid_t? {
    for line in locksText.split(separator: "\n") where !line.contains("->") {
      let f = line.split(separator: " ", omittingEmptySubsequences: true)
      guard f.count >= 6, f[1] == "FLOCK", let pid = pid_t(f[4]) else { continue }
      let dev = f[5].split(separator: ":")
      guard dev.count == 3, UInt64(dev[2]) == inode else { continue }
      return pid
    }
    return nil
  }

  /// The command line of `pid` as arguments, if the process exists.
  public static func commandLine(of pid: pid_t) -> [String]? {
    guard let data = try? readWholeFile("/proc/\(pid)/cmdline"), !data.isEmpty
    else { return nil }
    return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
  }

  /// Nil when `pid` provably is the live dpotop process running `subcommand`
  /// that holds `lockPath`; otherwise the reason it is not (for the user).
  public static func refusal(pid: pid_t?, lockPath: String, subcommand: String) -> String? {
    guard let pid, pid > 1 else { return "the manifest names no process" }
    guard let holder = lockHolder(of: lockPath) else {
      return "no process holds \(lockPath), so pid \(pid) is not its live \(subcommand) process"
    }
    guard holder == pid else {
      return "pid \(pid) does not hold \(lockPath) (pid \(holder) does)"
    }
    guard let argv = commandLine(of: pid) else { return "pid \(pid) is gone" }
    let isDpotop =
      argv.first.map { ($0 as NSString).lastPathComponent.hasPrefix("dpotop") } ?? false
    guard isDpotop, argv.contains(subcommand) else {
      return "pid \(pid) is not a 'dpotop \(subcommand)' process"
    }
    return nil
  }
}

import Foundation
import RunFixtures
import RunLog
import Sweeps

/// A real OpenSSH server on 127.0.0.1, started by a test on a free port with
/// a throwaway host key and user key in a temporary directory, so dpotop's
/// remote paths are tested against the real thing. Needs root (sshd
/// switches users) and `/usr/sbin/sshd` (openssh-server; `.ci/run`
/// installs it when missing).
final class SSHServer {
  static let sshd = "/usr/sbin/sshd"
  /// Why these tests cannot run here, or nil when they can.
  static var unavailable: String? {
    if getuid() != 0 { return "the sshd tests need root (sshd switches to the logged-in user)" }
    if !FileManager.default.isExecutableFile(atPath: sshd) {
      return "\(sshd) is missing: apt-get install openssh-server (.ci/run installs it)"
    }
    if CommandRunner.which("ssh-keygen") == nil || CommandRunner.which("ssh") == nil {
      return "ssh and ssh-keygen are missing: apt-get install openssh-client"
    }
    return nil
  }

  let dir: String
  let port: Int
  /// The user's private key, and a key the server does not know.
  let key: String
  let strangerKey: String
  var host: String { "root@127.0.0.1" }

  init() throws {
    if let why = Self.unavailable { throw E2EError("cannot start sshd: \(why)") }
    dir = try Fixtures.tempDir("sshd")
    port = try Self.freePort()
    key = dir + "/user_key"
    strangerKey = dir + "/stranger_key"
    for k in [dir + "/host_key", key, strangerKey] {
      try Self.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", k])
    }
    try FileManager.default.copyItem(atPath: key + ".pub", toPath: dir + "/authorized_keys")
    let config = """
      Port \(port)
      ListenAddress 127.0.0.1
      HostKey \(dir)/host_key
      AuthorizedKeysFile \(dir)/authorized_keys
      PermitRootLogin prohibit-password
      PasswordAuthentication no
      KbdInteractiveAuthentication no
      UsePAM no
      StrictModes no
      PidFile \(dir)/sshd.pid
      """
    try config.write(toFile: dir + "/sshd_config", atomically: true, encoding: .utf8)
    mkdir("/run/sshd", 0o755)
    try start()
  }

  deinit {
    stop()
    try? FileManager.default.removeItem(atPath: dir)
  }

  /// The `--ssh` command for this server (`key`: another identity).
  func sshCommand(key: String? = nil) -> String {
    "ssh -p \(port) -i \(key ?? self.key) -o IdentitiesOnly=yes -o StrictHostKeyChecking=no"
      + " -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o BatchMode=yes"
  }

  /// Starts sshd (it daemonizes) and waits until it accepts connections.
  func start() throws {
    try Self.run([Self.sshd, "-f", dir + "/sshd_config", "-E", dir + "/sshd.log"])
    do {
      try waitUntil("sshd to listen on \(port)", timeout: Deadline.process) { Self.accepts(port) }
    } catch {
      throw E2EError(
        "sshd did not start listening on \(port): \(readTextFile(dir + "/sshd.log") ?? "")")
    }
  }

  /// Kills the listening sshd and every session it forked (the link drops
  /// as if the far machine went away), by their pids.
  func stop() {
    guard let text = readTextFile(dir + "/sshd.pid"),
      let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    else {
      return
    }
    var victims = [pid]
    var i = 0
    while i < victims.count {
      victims += Self.children(of: victims[i])
      i += 1
    }
    for p in victims { kill(p, SIGKILL) }
    unlink(dir + "/sshd.pid")
    try? waitUntil("sshd to stop listening", timeout: Deadline.process) { !Self.accepts(port) }
  }

  /// Pids whose parent is `pid` (from /proc).
  static func children(of pid: Int32) -> [Int32] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return names.compactMap { name -> Int32? in
      guard let p = Int32(name), let stat = readTextFile("/proc/\(p)/stat"),
        let close = stat.lastIndex(of: ")")
      else { return nil }
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      return fields.count > 1 && Int32(fields[1]) == pid ? p : nil
    }
  }

  /// A TCP port nothing listens on now.
  static func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ok = withUnsafeMutablePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0
      }
    }
    guard ok else { throw E2EError("no free port: \(String(cString: strerror(errno)))") }
    return Int(UInt16(bigEndian: addr.sin_port))
  }

  /// Whether something accepts TCP connections on 127.0.0.1:`port`.
  static func accepts(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = UInt16(port).bigEndian
    return withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
      }
    }
  }

  /// Runs `argv` to completion; throws with its output when it fails.
  static func run(_ argv: [String]) throws {
    let log = FileManager.default.temporaryDirectory
      .appendingPathComponent("dpotop-sshd-run-\(getpid())-\(UUID().uuidString.prefix(8))").path
    defer { unlink(log) }
    let status = Fixtures.waitExit(try Fixtures.spawn(argv, log: log))
    guard status == 0 else {
      throw E2EError(
        "\(argv.joined(separator: " ")) failed (\(status)): \(readTextFile(log) ?? "")")
    }
  }
}

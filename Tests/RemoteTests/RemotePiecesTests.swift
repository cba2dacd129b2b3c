import Foundation
import Testing

@testable import Remote

/// The parts of remote watching that need no server: what counts as a
/// remote path, the ssh command, the far side's records and quoting.
struct RemotePiecesTests {
  @Test func remoteTargetsAreScpLike() {
    #expect(RemoteTarget.parse("gpu1:runs") == RemoteTarget(host: "gpu1", path: "runs"))
    #expect(
      RemoteTarget.parse("me@gpu1:/data/runs") == RemoteTarget(host: "me@gpu1", path: "/data/runs"))
    #expect(RemoteTarget.parse("[::1]:x") == RemoteTarget(host: "::1", path: "x"))
    #expect(RemoteTarget.parse("gpu1:") == RemoteTarget(host: "gpu1", path: ""))
    #expect(RemoteTarget.parse("gpu1:")?.shellPath == ".")
    #expect(RemoteTarget.parse("gpu1:-x")?.shellPath == "./-x")
    // A slash before the colon, no colon, an option-like host: local.
    #expect(RemoteTarget.parse("./a:b") == nil)
    #expect(RemoteTarget.parse("runs/a:b") == nil)
    #expect(RemoteTarget.parse("runs") == nil)
    #expect(RemoteTarget.parse("-oProxyCommand=x:y") == nil)
    #expect(RemoteTarget.parse(":path") == nil)
    // An existing local path is local, colon or not.
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "dpotop-a:b-\(getpid())"
    ).path
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    FileManager.default.changeCurrentDirectoryPath(
      (dir as NSString).deletingLastPathComponent)
    #expect(RemoteTarget.parse((dir as NSString).lastPathComponent) == nil)
  }

  @Test func sshCommandComesFromOptionThenEnvironment() throws {
    let env = ["DPOTOP_SSH": "ssh -p 2222 -o 'ProxyJump=a b'"]
    #expect(try SSHCommand.resolve(option: nil, environment: [:]).argv == ["ssh"])
    #expect(
      try SSHCommand.resolve(option: nil, environment: env).argv == [
        "ssh", "-p", "2222", "-o", "ProxyJump=a b",
      ])
    #expect(try SSHCommand.resolve(option: "/usr/bin/ssh -v", environment: env).argv.count == 2)
    #expect(throws: RemoteError.self) { try SSHCommand.resolve(option: "ssh 'x", environment: [:]) }
    let ssh = SSHCommand(argv: ["ssh", "-p", "2"])
    let batch = ssh.session(host: "h", batch: true)
    #expect(batch.suffix(2) == ["h", "exec /bin/sh"])
    #expect(batch.contains("BatchMode=yes"))
    #expect(!ssh.session(host: "h", batch: false).contains("BatchMode=yes"))
    // Another program (a wrapper script) gets no ssh options.
    #expect(
      SSHCommand(argv: ["my-rsh"]).session(host: "h", batch: true) == [
        "my-rsh", "h", "exec /bin/sh",
      ])
  }

  @Test func recordsSurviveAnyNameAndACutEnd() {
    let name: [UInt8] = Array("root/./a b\n\u{1B}[2J".utf8) + [0xFF]
    var bytes = Array("d 2049 1 4096 1.5 root/.\0".utf8)
    bytes += Array("f 2049 7 12 1700000000.25 ".utf8) + name + [0]
    bytes += Array("f 2049 8 1".utf8)  // cut by the byte limit
    let entries = RemoteMirror.parseRecords(bytes)
    #expect(entries.count == 2)
    #expect(entries[1].path == name)
    #expect(entries[1].inode == 7 && entries[1].size == 12 && entries[1].type == UInt8(ascii: "f"))
    #expect(entries[1].device == 2049)
    let e = entries[1].fileEntry(isDirectory: false)
    #expect(e.mtime.sec == 1_700_000_000 && e.mtime.nsec == 250_000_000)
    #expect(e.identity == [2049, 7])
  }

  /// A far side that answered `..` could not make the copy write outside its directory.
  @Test func copiedPathsStayInsideTheCopy() {
    func safe(_ s: String) -> Bool { RemoteMirror.isSafeRelative(Array(s.utf8)) }
    #expect(safe(""))
    #expect(safe("/a/b c/..x/.hidden"))
    #expect(!safe("/../etc/passwd"))
    #expect(!safe("/a/../../x"))
    #expect(!safe("/a/./b"))
    #expect(!safe("/a//b"))
    #expect(!safe("a"))
    #expect(!safe("/a/.."))
  }

  @Test func fileKindsFollowWhatTheReadersOpen() {
    func kind(_ s: String) -> RemoteMirror.FileKind? { RemoteMirror.kind(of: Array(s.utf8)) }
    #expect(kind("run.json") == .whole)
    #expect(kind("trainer_state.json") == .whole)
    #expect(kind("metrics.jsonl") == .append)
    #expect(kind("events.out.tfevents.1700000000.host.1.0") == .append)
    #expect(kind("log.csv") == .probe)
    #expect(kind("train.jsonl") == .probe)
    #expect(kind("model.safetensors") == nil)
    #expect(kind("checkpoint.bin") == nil)
  }

  /// Quoted bytes read back through a real sh are the same bytes.
  @Test func quotingRoundTripsThroughSh() throws {
    let nasty: [UInt8] = Array("it's a \"name\" $(rm -rf x) `y` \\ \n\t*?".utf8) + [0xC3, 0x28]
    var script = Array("printf '%s' ".utf8) + FarSideScript.quote(nasty)
    script.append(0x0A)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "dpotop-quote-\(getpid())"
    ).path
    FileManager.default.createFile(atPath: dir + ".sh", contents: Data(script))
    defer {
      unlink(dir + ".sh")
      unlink(dir + ".out")
    }
    let pid = try spawnShell(dir + ".sh", out: dir + ".out")
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    let out = FileManager.default.contents(atPath: dir + ".out").map { [UInt8]($0) }
    #expect(out == nasty)
  }

  private func spawnShell(_ script: String, out: String) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    var pid: pid_t = 0
    let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup(script), nil]
    defer { argv.forEach { free($0) } }
    let rc = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, environ)
    guard rc == 0 else { throw RemoteError(.launch, "sh: \(rc)") }
    return pid
  }
}

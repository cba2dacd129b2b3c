import Foundation
import Sweeps

/// `dpotop-bench remote`: append → on screen through ssh. The real
/// dashboard in tmux watches a run as `HOST:PATH`, HOST being one that
/// reaches this machine's files (127.0.0.1 through a local sshd:
/// `scripts/bench-remote.sh` starts a throwaway one); side by side with the
/// same dashboard watching the same kind of run locally.
enum RemoteBench {
  static let bench = Bench(
    name: "remote",
    summary: "append → on-screen latency of host:PATH over ssh vs the local path",
    help: """
      USAGE: dpotop-bench remote --ssh CMD [--host USER@HOST] [--records N] [--gap-ms MS]

      Runs 'bench tail --screen' twice: the dashboard on the run's local path,
      then on HOST:PATH through CMD (HOST must see this machine's /tmp: a
      local sshd). Prints p50/p95/max of each, the ratio, and the target
      (remote p95 at most 1 s). scripts/bench-remote.sh does it in one command
      with a throwaway sshd on 127.0.0.1 (needs root and openssh-server).

      OPTIONS:
        --ssh CMD        the ssh command (as for 'dpotop watch --ssh')
        --host USER@HOST the destination (default: root@127.0.0.1)
        --records N      records to append, 10...5000 (default: 100)
        --gap-ms MS      mean gap between appends, 1...1000 (default: 100)
      """,
    run: run)

  static func run(_ args: [String]) -> Int32 {
    let records: Int
    let gapMs: Int
    let host: String
    let ssh: String
    do throws(OptionError) {
      let p = try Options(valued: ["ssh", "host", "records", "gap-ms"], flags: []).parse(args)
      guard let cmd = p.string("ssh") else { throw OptionError("--ssh CMD is required") }
      ssh = cmd
      host = p.string("host") ?? "root@127.0.0.1"
      records = try p.int("records", default: 100, in: 10...5000)
      gapMs = try p.int("gap-ms", default: 100, in: 1...1000)
    } catch {
      fail(error.description, hint: "see 'dpotop-bench remote --help'")
    }
    let exe = DpotopBinary.path
    let local: TailScreen.Result
    let remote: TailScreen.Result
    do {
      local = try TailScreen.measure(records: records, gapMs: gapMs, executable: exe)
      remote = try TailScreen.measure(
        records: records, gapMs: gapMs, executable: exe, remote: (host, ssh))
    } catch {
      fail("bench remote: \(error)")
    }
    func pct(_ v: [Double], _ q: Double) -> Double {
      let s = v.sorted()
      return s.isEmpty ? .nan : s[min(s.count - 1, Int(Double(s.count - 1) * q + 0.5))]
    }
    func ms(_ v: Double) -> String { String(format: "%.1f ms", v * 1000) }
    func line(_ name: String, _ r: TailScreen.Result) -> String {
      "  \(name) p50 ≤ \(ms(pct(r.latencies, 0.5)))  p95 ≤ \(ms(pct(r.latencies, 0.95)))"
        + "  max ≤ \(ms(r.latencies.max() ?? .nan))  (\(r.latencies.count) seen, \(r.missed) missed)"
    }
    let p95 = pct(remote.latencies, 0.95)
    print("remote tail: \(records) records, one every ~\(gapMs) ms, dashboard in tmux 120x40")
    print(line("local path     ", local))
    print(line("\(host) via ssh".padding(toLength: 15, withPad: " ", startingAt: 0), remote))
    print(
      String(
        format: "  ratio remote/local p95: %.1fx; target: remote p95 ≤ 1000 ms: %@",
        p95 / pct(local.latencies, 0.95), p95 <= 1 && remote.missed == 0 ? "met" : "NOT met"))
    print("  (upper bounds: one capture-pane, p50 \(ms(pct(remote.captures, 0.5))))")
    return p95 <= 1 && remote.missed == 0 ? 0 : 1
  }
}

import Foundation
import Processes
import Training

/// `dpotop-bench matmul`: the trainer's matmul against numpy's float32
/// matmul (OpenBLAS), on the shapes the default model multiplies, in one run.
enum MatmulBench {
  static let bench = Bench(
    name: "matmul", summary: "GFLOP/s of the trainer's matmul vs numpy (OpenBLAS)",
    help: """
      USAGE: dpotop-bench matmul [--threads N]

      Times c = a @ b (float32, row-major) on the default model's training shapes
      with the trainer's kernel and with numpy (python3) in the same run, and
      prints GFLOP/s and the ratio. numpy runs with OPENBLAS_CORETYPE and
      OPENBLAS_L2_SIZE removed from its environment (they pin old kernels) and
      OPENBLAS_NUM_THREADS set to --threads.

      OPTIONS:
        --threads N   threads for both sides (default: 2)
      """, run: run)

  /// (label, m, k, n, a transposed): forward, input-gradient and
  /// weight-gradient products of the default model (N = 32 sequences × 128
  /// positions, C = 96), plus a square. The weight gradient is timed as the
  /// trainer computes it: `gemmTN` on the layer input as stored (N, C), read
  /// transposed, against numpy's `a.T @ b` (OpenBLAS's transposed sgemm).
  static let shapes: [(String, Int, Int, Int, Bool)] = [
    ("qkv fwd  N×C @ C×3C", 4096, 96, 288, false),
    ("fc fwd   N×C @ C×4C", 4096, 96, 384, false),
    ("proj fwd N×4C @ 4C×C", 4096, 384, 96, false),
    ("dinp     N×4C @ 4C×C", 4096, 384, 96, false),
    ("dweight  (N×C)ᵀ @ N×4C", 96, 4096, 384, true),
    ("logits   N×C @ C×V", 4096, 96, 94, false),
    ("square   512³", 512, 512, 512, false),
  ]

  static func run(_ args: [String]) -> Int32 {
    let parsed: Options.Parsed
    let threads: Int
    do {
      parsed = try Options(valued: ["threads"], flags: []).parse(args)
      threads = try parsed.int("threads", default: 2, in: 1...256)
    } catch {
      fail("\(error)", hint: "see 'dpotop-bench matmul --help'")
    }
    // Three alternating rounds, best per shape on each side, so a burst of
    // load elsewhere does not decide the ratio.
    var (kernel, numpy) = numpySeconds(threads: threads)
    var oursBest = shapes.map { _ in (wall: Double.infinity, cpu: Double.infinity) }
    for round in 0..<3 {
      for (i, (_, m, k, n, t)) in shapes.enumerated() {
        let ours = KernelTiming.gemmTimes(m: m, k: k, n: n, transposedA: t, threads: threads)
        oursBest[i] = (min(oursBest[i].wall, ours.wall), min(oursBest[i].cpu, ours.cpu))
      }
      guard round < 2, !numpy.isEmpty else { continue }
      let again = numpySeconds(threads: threads).1
      if again.count == numpy.count {
        numpy = zip(numpy, again).map { (min($0.wall, $1.wall), min($0.cpu, $1.cpu)) }
      }
    }
    // With one thread, CPU seconds leave out the time each side waited for a
    // core: the ratio that survives other processes' load. (With more, a
    // library's spinning worker threads count as CPU time, so only wall.)
    let cpuColumn = threads == 1
    print(
      "matmul, float32, \(threads) thread(s), kernels \(KernelPath.active.rawValue); "
        + "numpy OpenBLAS kernel: \(kernel); best of 3 alternating rounds")
    print(
      "shape".padding(toLength: 24, withPad: " ", startingAt: 0)
        + "      dpotop GFLOP/s   numpy GFLOP/s   ratio"
        + (cpuColumn ? "   (CPU time: dpotop  numpy  ratio)" : ""))
    var ratios: [Double] = []
    var cpuRatios: [Double] = []
    for (i, (label, m, k, n, _)) in shapes.enumerated() {
      let ours = oursBest[i].wall
      let flops = 2.0 * Double(m * k * n)
      let g = flops / ours / 1e9
      var line = label.padding(toLength: 24, withPad: " ", startingAt: 0)
      line += String(format: " %16.1f", g)
      if i < numpy.count {
        let gn = flops / numpy[i].wall / 1e9
        ratios.append(g / gn)
        line += String(format: " %15.1f %7.2f", gn, g / gn)
        if cpuColumn {
          let gc = flops / oursBest[i].cpu / 1e9
          let gnc = flops / numpy[i].cpu / 1e9
          cpuRatios.append(gc / gnc)
          line += String(format: "   %15.1f %6.1f %6.2f", gc, gnc, gc / gnc)
        }
      } else {
        line += "             n/a     n/a"
      }
      print(line)
    }
    if !ratios.isEmpty {
      let geo = exp(ratios.map { log($0) }.reduce(0, +) / Double(ratios.count))
      print(String(format: "geometric mean ratio dpotop/numpy: %.2f", geo))
    }
    if !cpuRatios.isEmpty {
      let geo = exp(cpuRatios.map { log($0) }.reduce(0, +) / Double(cpuRatios.count))
      print(String(format: "geometric mean ratio dpotop/numpy, CPU time: %.2f", geo))
    }
    return 0
  }

  /// Runs the numpy side; returns its kernel name and wall and CPU seconds
  /// per shape (empty when python3/numpy is unavailable).
  static func numpySeconds(threads: Int) -> (String, [(wall: Double, cpu: Double)]) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    let dims = shapes.map { "[\($0.1),\($0.2),\($0.3),\($0.4 ? 1 : 0)]" }.joined(separator: ",")
    process.arguments = [PeerPython.executable, PeerScripts.path("matmul_numpy.py"), "[\(dims)]"]
    var env = ProcessInfo.processInfo.environment
    env["OPENBLAS_CORETYPE"] = nil
    env["OPENBLAS_L2_SIZE"] = nil
    env["OPENBLAS_NUM_THREADS"] = String(threads)
    process.environment = env
    let pipe = Pipe()
    process.standardOutput = pipe
    do { try process.run() } catch { return ("python3 not found", []) }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    guard process.terminationStatus == 0, let first = lines.first else {
      return ("numpy failed (exit \(process.terminationStatus))", [])
    }
    let times = lines.dropFirst().compactMap { line -> (wall: Double, cpu: Double)? in
      let fields = line.split(separator: " ").compactMap { Double($0) }
      guard let wall = fields.first else { return nil }
      return (wall, fields.count > 1 ? fields[1] : wall)
    }
    return (String(first.dropFirst("kernel ".count)), times)
  }
}

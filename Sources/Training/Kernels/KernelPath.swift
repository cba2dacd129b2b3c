import CPUID
import Foundation
import KernelSupport
import KernelsAVX2
import KernelsAVX512
import KernelsPlain

/// Which build of the kernels runs: the trainer ships three (the same source
/// compiled for AVX-512, for AVX2 + FMA and for the baseline CPU) and picks
/// the newest one this CPU and its OS support, so nothing built above the
/// baseline ever runs on a CPU without it (no SIGILL on an older x86-64: it
/// runs the plain path). `DPOTOP_KERNELS=avx512|avx2|plain` forces one.
public enum KernelPath: String, CaseIterable, Sendable {
  case avx512
  case avx2
  case plain

  /// The environment variable that forces a path.
  public static let environmentKey = "DPOTOP_KERNELS"

  /// What CPUID and XGETBV report: 4 (x86-64-v4), 3 (x86-64-v3), 1 (older
  /// x86-64), 0 (not x86-64).
  static let cpuLevel = Int(dpotop_x86_level())

  /// Whether this CPU and OS can run the path.
  public var isSupported: Bool {
    switch self {
    case .avx512: Self.cpuLevel >= 4
    case .avx2: Self.cpuLevel >= 3
    case .plain: true
    }
  }

  /// The paths this machine can run, newest first (the numerics tests run each).
  public static var supported: [KernelPath] { allCases.filter(\.isSupported) }

  /// The newest supported path.
  public static var best: KernelPath { supported.first ?? .plain }

  /// The path `DPOTOP_KERNELS` asks for, or why it cannot be used; `best`
  /// when unset.
  public static let selection: Result<KernelPath, TrainingError> = select(
    ProcessInfo.processInfo.environment[environmentKey])

  static func select(_ value: String?) -> Result<KernelPath, TrainingError> {
    guard let value, !value.isEmpty else { return .success(best) }
    guard let path = KernelPath(rawValue: value.lowercased()) else {
      return .failure(
        TrainingError(
          .badEnvironment(
            name: environmentKey,
            reason: "'\(value)' is not one of \(allCases.map(\.rawValue).joined(separator: ", "))"),
          hint: "unset it to use the best path this CPU supports"))
    }
    guard path.isSupported else {
      return .failure(
        TrainingError(
          .badEnvironment(
            name: environmentKey,
            reason:
              "this CPU cannot run the \(value) kernels (it supports: "
              + supported.map(\.rawValue).joined(separator: ", ") + ")"),
          hint: "unset it to use the best path this CPU supports"))
    }
    return .success(path)
  }

  /// The path models use unless told otherwise (an unusable `DPOTOP_KERNELS`
  /// falls back to `best`; the trainer refuses to start on it instead).
  public static var active: KernelPath { (try? selection.get()) ?? best }

  /// The kernels of this path.
  public var suite: any KernelSuite.Type {
    switch self {
    case .avx512: KernelsAVX512.Suite.self
    case .avx2: KernelsAVX2.Suite.self
    case .plain: KernelsPlain.Suite.self
    }
  }

  /// What the path uses, for people.
  public var summary: String {
    switch self {
    case .avx512: "AVX-512 + FMA, x86-64-v4"
    case .avx2: "AVX2 + FMA, x86-64-v3"
    case .plain: "baseline, no FMA"
    }
  }

  /// One line for `dpotop --version`: what the build needs from the CPU, and
  /// which kernel path runs here and why.
  public static func describe() -> String {
    let path = active
    let cpu: String
    switch cpuLevel {
    case 4: cpu = "x86-64-v4"
    case 3: cpu = "x86-64-v3"
    case 1: cpu = "x86-64 without AVX2"
    default: cpu = "not x86-64"
    }
    let forced = ProcessInfo.processInfo.environment[environmentKey].flatMap {
      $0.isEmpty ? nil : $0
    }
    var reason = forced.map { "forced by \(environmentKey)=\($0)" } ?? "best this CPU supports"
    if case .failure = selection {
      reason = "\(environmentKey)=\(forced ?? "") unusable, fell back"
    }
    return
      "cpu: needs any x86-64 (or arm64); kernels \(path.rawValue) (\(path.summary)), \(reason); "
      + "this CPU: \(cpu); paths: \(allCases.map(\.rawValue).joined(separator: "/"))"
  }
}

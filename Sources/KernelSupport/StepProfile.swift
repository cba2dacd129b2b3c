#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where a training step's time goes, for `dpotop bench train --profile`.
///
/// Off unless `enabled`: each timed section then costs one branch. When on,
/// sections are timed with the monotonic clock (~20 ns a read) and summed per
/// kind; the trainer's model is driven from one thread, so plain statics do
/// (parallel chunks only report to the calling thread, after joining).
public enum StepProfile {
  /// The kinds of work a step is split into.
  public enum Section: Int, CaseIterable, Sendable {
    case embedding, layerNorm, matmulQKV, attention, matmulAttProj, residual, matmulFC, gelu,
      matmulFCProj, matmulLogits, crossEntropy, sequenceLogProbs
    case backwardCrossEntropy, backwardLogits, backwardLayerNorm, backwardFCProj, backwardGELU,
      backwardFC, backwardAttProj, backwardAttention, backwardQKV, backwardEmbedding,
      zeroing
    case referenceForward, objective, gradientNorm, adamW, other

    /// The label printed in the profile table.
    public var label: String {
      switch self {
      case .embedding: "embedding"
      case .layerNorm: "LayerNorm"
      case .matmulQKV: "matmul qkv (N×C @ C×3C)"
      case .attention: "attention (scores, softmax, ·V)"
      case .matmulAttProj: "matmul attn proj (N×C @ C×C)"
      case .residual: "residual adds"
      case .matmulFC: "matmul fc (N×C @ C×4C)"
      case .gelu: "GELU"
      case .matmulFCProj: "matmul fc proj (N×4C @ 4C×C)"
      case .matmulLogits: "matmul logits (N×C @ C×V)"
      case .crossEntropy: "log-softmax / cross-entropy"
      case .sequenceLogProbs: "reduction to sequence log-probs"
      case .backwardCrossEntropy: "backward cross-entropy"
      case .backwardLogits: "backward logits matmul"
      case .backwardLayerNorm: "backward LayerNorm"
      case .backwardFCProj: "backward fc proj matmul"
      case .backwardGELU: "backward GELU"
      case .backwardFC: "backward fc matmul"
      case .backwardAttProj: "backward attn proj matmul"
      case .backwardAttention: "backward attention"
      case .backwardQKV: "backward qkv matmul"
      case .backwardEmbedding: "backward embedding"
      case .zeroing: "zeroing gradient buffers"
      case .referenceForward: "reference model forward"
      case .objective: "objective + batching"
      case .gradientNorm: "gradient norm (clipping)"
      case .adamW: "AdamW"
      case .other: "other"
      }
    }
  }

  /// Whether sections are timed.
  nonisolated(unsafe) public static var enabled = false
  /// Nanoseconds per section since the last `reset`.
  nonisolated(unsafe) public static var nanos = [UInt64](
    repeating: 0, count: Section.allCases.count)
  /// Nanoseconds (wall-equivalent) threads sat idle inside parallel sections,
  /// waiting for the slowest chunk; part of the sections' times, not extra.
  nonisolated(unsafe) public static var threadWait: UInt64 = 0

  /// Whole steps timed, and their summed wall time.
  nonisolated(unsafe) public static var steps = 0
  nonisolated(unsafe) public static var stepNanos: UInt64 = 0

  /// Clears the sums.
  public static func reset() {
    nanos = [UInt64](repeating: 0, count: Section.allCases.count)
    threadWait = 0
    steps = 0
    stepNanos = 0
  }

  /// Records one whole step's wall time.
  public static func addStep(seconds: Double) {
    guard enabled else { return }
    steps += 1
    stepNanos &+= UInt64(seconds * 1e9)
  }

  /// The monotonic clock in nanoseconds.
  @inline(__always)
  public static func now() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
  }

  /// Runs `body`, adding its whole wall time to `section` and none to the
  /// sections it calls (the reference model's forward is one entry).
  public static func exclusive<R>(_ section: Section, _ body: () -> R) -> R {
    guard enabled else { return body() }
    let start = now()
    let wait = threadWait
    enabled = false
    let result = body()
    enabled = true
    threadWait = wait
    nanos[section.rawValue] &+= now() &- start
    return result
  }

  /// Runs `body`, adding its wall time to `section` when profiling.
  @inline(__always)
  public static func time<R>(_ section: Section, _ body: () -> R) -> R {
    guard enabled else { return body() }
    let start = now()
    let result = body()
    nanos[section.rawValue] &+= now() &- start
    return result
  }
}

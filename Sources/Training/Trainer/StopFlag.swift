import Dispatch
import Foundation

/// A request to stop, raised by SIGINT/SIGTERM/SIGHUP (or a test) and polled
/// by the training loop between steps, so a step is never cut in half.
public final class StopFlag: @unchecked Sendable {
  private let lock = NSLock()
  private var raised = false
  private var signalName: String?
  private var sources: [DispatchSourceSignal] = []

  /// Creates a lowered flag.
  public init() {}

  /// Whether a stop was requested.
  public var isRaised: Bool {
    lock.lock()
    defer { lock.unlock() }
    return raised
  }

  /// The signal that raised the flag, if any.
  public var reason: String? {
    lock.lock()
    defer { lock.unlock() }
    return signalName
  }

  /// Requests a stop.
  public func raise(_ why: String = "requested") {
    lock.lock()
    raised = true
    if signalName == nil { signalName = why }
    lock.unlock()
  }

  /// Routes SIGINT, SIGTERM and SIGHUP to this flag instead of killing the
  /// process: a trainer whose terminal hangs up checkpoints and records
  /// itself cancelled, so `dpotop resume` picks it up where it stopped.
  public func catchSignals() {
    for (sig, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP")] {
      signal(sig, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
      source.setEventHandler { [weak self] in self?.raise(name) }
      source.resume()
      lock.lock()
      sources.append(source)
      lock.unlock()
    }
  }
}

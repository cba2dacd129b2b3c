import Foundation

/// The Python interpreter that runs the peers dpotop is measured against
/// (numpy, polars, torch, tensorboard, wandb). One rule for every bench and
/// test: `$DPOTOP_PYTHON` when set, else the venv `scripts/peer-venv.sh`
/// creates, when it exists, else `python3` from PATH. The product itself
/// never runs Python.
public enum PeerPython {
  public static var executable: String {
    let env = ProcessInfo.processInfo.environment
    if let chosen = env["DPOTOP_PYTHON"], !chosen.isEmpty { return chosen }
    if let venv = venvPython(env), FileManager.default.isExecutableFile(atPath: venv) {
      return venv
    }
    return "python3"
  }

  /// Where `scripts/peer-venv.sh` puts its interpreter.
  public static func venvPython(_ env: [String: String]) -> String? {
    if let dir = env["DPOTOP_PEER_VENV"], !dir.isEmpty { return dir + "/bin/python" }
    let cache =
      env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? env["HOME"].map { $0 + "/.cache" }
    return cache.map { $0 + "/dpotop/peer-venv/bin/python" }
  }

  /// The hint printed when a peer is missing.
  public static func installHint(_ package: String) -> String {
    "install it with: bash scripts/peer-venv.sh \(package)  (or set DPOTOP_PYTHON)"
  }
}

import Foundation

/// W&B runs (`WandbRunSource`, docs/importers.md).
extension RunFormat {
  /// A W&B run directory (`wandb/run-<date>-<id>/`, `wandb/offline-run-<date>-<id>/`):
  /// it holds the binary log `run-<id>.wandb`.
  public static let wandbRun = RunFormat(
    name: "wandb", isDirectory: true,
    recognizes: { path, tree in
      (tree.list(path) ?? []).contains { name in
        isWandbLogName(name) && tree.isFile(join(path, name))
      }
    },
    open: { WandbRunSource(path: $0) })

  /// A `.wandb` log named directly: its directory is the run.
  public static let wandbFile = RunFormat(
    name: "wandb-file", isDirectory: false, onlyWhenGiven: true,
    recognizes: { path, _ in isWandbLogName((path as NSString).lastPathComponent) },
    open: { WandbRunSource(path: ($0 as NSString).deletingLastPathComponent) })

  /// `run-<id>.wandb`, the name W&B gives a run's log.
  static func isWandbLogName(_ name: String) -> Bool {
    name.hasPrefix("run-") && name.hasSuffix(".wandb")
  }
}

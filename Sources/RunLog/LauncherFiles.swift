/// The files a launcher, not the trainer, adds to a run directory: the one
/// list both sides read. Slurm's job script writes the trainer's exit status,
/// and sbatch the job's output; the trainer must not take them for training
/// output (a run killed before its first checkpoint may still start over).
/// The local launcher's log and lock are the run's own (`RunDirectory`).
extension RunDirectory {
  /// The job script's record of the trainer's exit status (Slurm).
  public static let jobExitStatusName = "job-exit-status"
  /// What every Slurm output file's name starts with.
  public static let slurmOutputPrefix = "slurm-"
  /// sbatch's `--output` / `--error` pattern (`%j`: the job id).
  public static let slurmOutputPattern = slurmOutputPrefix + "%j.out"

  /// The output file of Slurm job `job`.
  public static func slurmOutputName(job: String) -> String {
    slurmOutputPrefix + job + ".out"
  }

  /// Whether `name` is one of the files a launcher adds.
  public static func isLauncherFile(_ name: String) -> Bool {
    name == jobExitStatusName || name.hasPrefix(slurmOutputPrefix)
  }
}

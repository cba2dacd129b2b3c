// swift-tools-version:6.0
// dpotop: a terminal dashboard for preference-optimisation runs, with an
// embedded trainer. No Swift package dependencies: Foundation, Dispatch,
// XCTest / Swift Testing and the system library ncursesw only.
import PackageDescription

let package = Package(
  name: "dpotop",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "dpotop", targets: ["dpotop"]),
    // The speed measurements against the tools users compare us with; not
    // part of what `dpotop` does (scripts/package.sh ships it beside dpotop).
    .executable(name: "dpotop-bench", targets: ["dpotop-bench"]),
    .library(name: "RunLog", targets: ["RunLog"]),
    .library(name: "Dashboard", targets: ["Dashboard"]),
    .library(name: "Training", targets: ["Training"]),
  ],
  targets: [
    // The run-directory contract: manifest, metrics log, tailing reader,
    // series store, importers. Knows nothing about terminals or training.
    .target(name: "RunLog"),
    // The UI as pure code: state, messages, update, views rendering into a
    // cell grid. No ncurses, no I/O: everything it does is testable.
    .target(name: "Dashboard", dependencies: ["RunLog", "Sweeps"]),
    // ncursesw as a system library; the shim makes its macros and globals
    // importable in Swift 6 mode.
    .systemLibrary(
      name: "CNcurses", pkgConfig: "ncursesw", providers: [.apt(["libncursesw5-dev"])]),
    // The only code that calls ncurses: setup/teardown, colours, drawing a
    // cell grid, decoding keys.
    .target(name: "Terminal", dependencies: ["CNcurses", "Dashboard"]),
    // Sweeps: planning, launching and controlling runs (processes, locks,
    // signals). Knows the run format, not the UI or the trainer's insides.
    .target(name: "Sweeps", dependencies: ["RunLog", "Processes"]),
    // The embedded trainer: tiny transformer, datasets, objectives, training
    // loop writing RunLog directories. No terminal. Built for the baseline
    // CPU: its kernels come from one of the Kernels* targets, chosen at run
    // time after a CPUID check (KernelPath).
    .target(
      name: "Training",
      dependencies: [
        "RunLog", "CPUID", "KernelSupport", "KernelsPlain", "KernelsAVX2", "KernelsAVX512",
      ],
      swiftSettings: kernelSettings(march: nil)),
    // CPUID / XGETBV: which kernel path this CPU and OS can run.
    .target(name: "CPUID"),
    // The kernels' protocol, thread fan-out and step profiler (baseline CPU).
    .target(name: "KernelSupport", swiftSettings: kernelSettings(march: nil)),
    // One kernel source, three builds: KernelsAVX2 and KernelsAVX512 link to
    // KernelsPlain's files and differ only in Width.swift and -march.
    .target(
      name: "KernelsPlain", dependencies: ["KernelSupport"],
      swiftSettings: kernelSettings(march: nil)),
    .target(
      name: "KernelsAVX2", dependencies: ["KernelSupport"],
      swiftSettings: kernelSettings(march: "x86-64-v3")),
    .target(
      name: "KernelsAVX512", dependencies: ["KernelSupport"],
      swiftSettings: kernelSettings(march: "x86-64-v4")),
    // Runs on another machine: a local copy kept up to date over the
    // user's ssh, read by the same discovery, readers and importers.
    .target(name: "Remote", dependencies: ["RunLog", "Processes"]),
    // Starting other programs: spawning from argv arrays (never a shell),
    // with pipes; typed text split into argv; which Python runs the peers
    // dpotop is measured and tested against. Knows nothing of runs.
    .target(name: "Processes"),
    // The live layer between run directories and the dashboard: finding and
    // polling runs (a source becomes `Msg`s), reconciling Slurm jobs, and
    // performing the effects `update` asks for. No terminal: the app and
    // `render` both use it.
    .target(name: "Live", dependencies: ["RunLog", "Dashboard", "Sweeps", "Processes"]),
    // The command line and its wiring: every user command.
    .executableTarget(
      name: "dpotop",
      dependencies: [
        "RunLog", "Sweeps", "Dashboard", "Terminal", "Training", "Remote", "Processes", "Live",
      ]
    ),
    // The benchmarks (`dpotop-bench NAME`), out of the product. Their Python
    // peers are files under scripts/bench/, found at run time. FromDpotop/
    // holds links to dpotop's sources it shares (the option scanner and
    // where bundled files are); `bench tail` measures Live's run watcher.
    .executableTarget(
      name: "dpotop-bench",
      dependencies: [
        "RunLog", "Sweeps", "Dashboard", "Terminal", "Training", "KernelSupport", "Processes",
        "Live",
      ]
    ),
    .testTarget(
      name: "RemoteTests",
      dependencies: ["Remote"]
    ),
    .testTarget(
      name: "RunLogTests",
      // Processes: the W&B live tests run the real wandb package.
      dependencies: ["RunLog", "Processes"],
      // Files written by the real tools (TensorBoard's writer, HF Trainer's
      // trainer_state.json shape), read byte for byte by the importer tests.
      resources: [.copy("Fixtures")]
    ),
    .testTarget(
      name: "SweepsTests",
      dependencies: ["Sweeps", "Processes"]
    ),
    .testTarget(
      name: "DashboardTests",
      dependencies: ["Dashboard"],
      // Screen snapshots are read by path (#filePath), not bundled.
      exclude: ["Snapshots"]
    ),
    .testTarget(
      name: "TerminalTests",
      dependencies: ["Terminal", "Dashboard"]
    ),
    // Drives the real binary in tmux, and over a real sshd on 127.0.0.1
    // started by the tests (root, openssh-server); depends on dpotop and
    // dpotop-bench so they are built first.
    .testTarget(
      name: "EndToEndTests",
      dependencies: [
        "dpotop", "dpotop-bench", "RunLog", "Sweeps", "Training", "Remote", "Processes",
        "RunFixtures",
      ]
    ),
    // The live layer without the binary: the watcher on its thread, one
    // run's poller, the effect runner, the Slurm ids report.
    .testTarget(
      name: "LiveTests",
      dependencies: ["Live", "Dashboard", "RunLog", "Sweeps", "RunFixtures"]
    ),
    // Run directories and the one wait loop, shared by LiveTests and
    // EndToEndTests (a test target cannot import another).
    .target(name: "RunFixtures", dependencies: ["RunLog"], path: "Tests/RunFixtures"),
    .testTarget(
      name: "TrainingTests",
      dependencies: ["Training", "RunLog"],
      // The script that printed the objectives' reference values (kept beside its tests).
      exclude: ["Objectives/reference_values.py"]
    ),
  ]
)

/// Settings of the trainer and its kernel targets: optimised in debug builds
/// too (an unoptimised trainer is ~50x slower, which would make `swift run
/// dpotop sweep` and the sweep end-to-end tests take minutes per step), and,
/// on x86_64 Linux, the given micro-architecture level for code generation.
/// Only code behind a CPUID check (KernelPath) may be built above baseline.
///
/// Whole-module in debug too: a debug build compiles file by file, and -O
/// alone cannot inline across files (the kernels' `madd` lives in
/// Width.swift, its callers elsewhere), which left a debug trainer 7x slower
/// than with -wmo (4.8 s against 34 s CPU for 5 DPO steps) and made every
/// training end-to-end test and `swift run dpotop sweep` crawl.
/// `-num-threads` keeps one object file per source file, as SwiftPM's link
/// and its index store expect (plain -wmo fails: "index output filenames do
/// not match input source files").
func kernelSettings(march: String?) -> [SwiftSetting] {
  var settings: [SwiftSetting] = [
    .unsafeFlags(["-O", "-wmo", "-num-threads", "2"], .when(configuration: .debug))
  ]
  #if arch(x86_64)
    if let march {
      settings.append(.unsafeFlags(["-Xcc", "-march=\(march)"], .when(platforms: [.linux])))
    }
  #endif
  return settings
}

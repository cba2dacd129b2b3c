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
    .library(name: "RunLog", targets: ["RunLog"]),
    .library(name: "Dashboard", targets: ["Dashboard"]),
  ],
  targets: [
    // The run-directory contract: manifest, metrics log, tailing reader,
    // series store, importers. Knows nothing about terminals or training.
    .target(name: "RunLog"),
    // The UI as pure code: state, messages, update, views rendering into a
    // cell grid. No ncurses, no I/O: everything it does is testable.
    .target(name: "Dashboard", dependencies: ["RunLog"]),
    .executableTarget(
      name: "dpotop",
      dependencies: ["RunLog", "Dashboard"]
    ),
    .testTarget(
      name: "RunLogTests",
      dependencies: ["RunLog"]
    ),
    .testTarget(
      name: "DashboardTests",
      dependencies: ["Dashboard"]
    ),
  ]
)

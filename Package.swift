// swift-tools-version:6.2
import PackageDescription

let package = Package(
  name: "swift-mmap",
  // Atomic (the Synchronization module) sets the floor on Apple platforms.
  platforms: [.macOS(.v15), .iOS(.v18), .tvOS(.v18), .watchOS(.v11), .visionOS(.v2)],
  products: [
    .library(name: "MMap", targets: ["MMap"])
  ],
  targets: [
    .target(name: "MMap"),
    .executableTarget(name: "mmap-example", dependencies: ["MMap"]),
    .testTarget(name: "MMapTests", dependencies: ["MMap"]),
  ],
  swiftLanguageModes: [.v6]
)
